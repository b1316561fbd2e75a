//! A value axis with round ticks (1, 2 or 5 × 10ⁿ).

/// The axis: from `min` to `max` in steps of `step` (all multiples of `step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
    pub step: i64,
}

impl Scale {
    pub fn ticks(&self) -> impl Iterator<Item = i64> + '_ {
        (0..=((self.max - self.min) / self.step)).map(move |i| self.min + i * self.step)
    }
}

/// Round ticks covering `lo..=hi` (and zero) in at most `most` steps.
pub fn nice_scale(lo: i64, hi: i64, most: i64) -> Scale {
    let lo = lo.min(0);
    let hi = hi.max(0);
    let span = (hi - lo).max(1);
    let mut step = 1i64;
    'search: loop {
        for m in [1, 2, 5] {
            let s = step.saturating_mul(m);
            if span <= s.saturating_mul(most) {
                step = s;
                break 'search;
            }
        }
        step = step.saturating_mul(10);
    }
    let min = lo.div_euclid(step) * step;
    let max = -((-hi).div_euclid(step)) * step;
    Scale {
        min,
        max: max.max(min + step),
        step,
    }
}
