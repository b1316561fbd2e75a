//! Exact non-negative fractions of a kopeck in i128: no floats anywhere in the penalty.

/// A non-negative rational number of kopecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ratio {
    pub num: i128,
    pub den: i128,
}

pub(super) fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    pub fn add(self, o: Ratio) -> Ratio {
        let num = self.num * o.den + o.num * self.den;
        let den = self.den * o.den;
        let g = gcd(num, den);
        Ratio {
            num: num / g,
            den: den / g,
        }
    }

    /// Half-up to whole kopecks (values are never negative).
    pub fn round(self) -> i64 {
        ((2 * self.num + self.den) / (2 * self.den)) as i64
    }
}
