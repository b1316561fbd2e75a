//! The written answer to «why is my bill this sum» (issue 20 §2): the explanation of a month
//! as the paragraphs of a letter on the organization's letterhead.

use super::explain::{Explanation, LineKind};
use crate::money::format_rub;

/// The letter's subject for the month titled `period_title` («ноябрь 2026»).
pub fn answer_subject(period_title: &str) -> String {
    format!("О начислениях за {period_title}")
}

/// The letter's paragraphs: what was charged on the account for the month, each line as it
/// was computed, the total, and how to ask for a recalculation.
pub fn answer_paragraphs(x: &Explanation, account: &str, period_title: &str) -> Vec<String> {
    let mut out = vec![format!(
        "Сообщаем, как рассчитана плата по лицевому счёту № {account} за {period_title}."
    )];
    if x.lines.is_empty() {
        out.push("Начислений за этот месяц по лицевому счёту нет.".into());
    }
    for l in &x.lines {
        let what = match &l.line.kind {
            LineKind::Charge => l.line.service_title.clone(),
            LineKind::Recalculation { reason } => {
                format!("{} — перерасчёт ({reason})", l.line.service_title)
            }
        };
        out.push(format!(
            "{what}: {}. Начислено {}.",
            l.text.trim().trim_end_matches('.'),
            format_rub(l.line.charged_kopecks)
        ));
    }
    out.push(format!(
        "Итого начислено за {period_title}: {}.",
        format_rub(x.total_kopecks)
    ));
    out.push(
        "Если вы не согласны с начислением, вы можете подать заявление о перерасчёте с \
         указанием причины; заявление рассматривается в установленный срок, о решении мы \
         сообщим письменно."
            .into(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::explain::{ExplainedLine, SourceLine, VolumeSource};

    fn line(title: &str, kind: LineKind, kopecks: i64, text: &str) -> ExplainedLine {
        ExplainedLine {
            line: SourceLine {
                service: "hot_water".into(),
                service_title: title.into(),
                kind,
                charged_kopecks: kopecks,
                volume: None,
                price: None,
                unit: None,
                source: VolumeSource::None,
            },
            volume: None,
            tariff: None,
            computed_kopecks: None,
            difference_kopecks: None,
            text: text.into(),
        }
    }

    #[test]
    fn every_line_and_the_total_are_in_the_letter() {
        let x = Explanation {
            lines: vec![
                line(
                    "Горячая вода",
                    LineKind::Charge,
                    123_456,
                    "3,5 м³ × 352,74 ₽ = 1 234,56 ₽",
                ),
                line(
                    "Горячая вода",
                    LineKind::Recalculation {
                        reason: "температура ниже нормы".into(),
                    },
                    -10_000,
                    "Перерасчёт без объёма.",
                ),
            ],
            total_kopecks: 113_456,
        };
        let p = answer_paragraphs(&x, "1001", "ноябрь 2026");
        assert!(p[0].contains("№ 1001 за ноябрь 2026"));
        assert_eq!(
            p[1],
            "Горячая вода: 3,5 м³ × 352,74 ₽ = 1 234,56 ₽. Начислено 1 234,56 ₽."
        );
        assert_eq!(
            p[2],
            "Горячая вода — перерасчёт (температура ниже нормы): Перерасчёт без объёма. \
             Начислено -100,00 ₽."
        );
        assert_eq!(p[3], "Итого начислено за ноябрь 2026: 1 134,56 ₽.");
        assert_eq!(p.len(), 5);
        assert_eq!(
            answer_subject("ноябрь 2026"),
            "О начислениях за ноябрь 2026"
        );
    }

    #[test]
    fn a_month_without_charges_says_so() {
        let x = Explanation {
            lines: vec![],
            total_kopecks: 0,
        };
        let p = answer_paragraphs(&x, "1001", "ноябрь 2026");
        assert!(p[1].contains("нет"));
        assert!(p[2].contains("0,00 ₽"));
    }
}
