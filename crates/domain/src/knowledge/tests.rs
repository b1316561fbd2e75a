use chrono::NaiveDate;
use proptest::prelude::*;

use super::search::*;
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn draft() -> ArticleDraft {
    ArticleDraft {
        title: "  Перерасчёт  за  временное отсутствие ".into(),
        body: "Перерасчёт делается по заявлению.\r\n\r\nНужны документы.".into(),
        category: "Перерасчёт".into(),
        audience: Audience::Residents,
        references: vec![LegalReference {
            title: "ПП РФ № 354, п. 86".into(),
            effective_on: d(2012, 9, 1),
        }],
        legal_news_on: None,
    }
}

#[test]
fn a_version_is_cleaned() {
    let a = check(&draft()).unwrap();
    assert_eq!(a.title, "Перерасчёт за временное отсутствие");
    assert_eq!(
        a.body,
        "Перерасчёт делается по заявлению.\n\nНужны документы."
    );
}

#[test]
fn an_article_without_a_title_is_refused() {
    let e = check(&ArticleDraft {
        title: "   ".into(),
        ..draft()
    })
    .unwrap_err();
    assert_eq!(e.for_field("title"), Some("Заполните поле «Заголовок»."));
    assert_eq!(e.0.len(), 1);
}

#[test]
fn every_missing_field_is_named() {
    let e = check(&ArticleDraft {
        title: String::new(),
        body: " \n ".into(),
        category: String::new(),
        references: vec![LegalReference {
            title: " ".into(),
            effective_on: d(2025, 1, 1),
        }],
        ..draft()
    })
    .unwrap_err();
    for f in ["title", "body", "category", "references[0].title"] {
        assert!(e.for_field(f).is_some(), "{f}: {e}");
    }
    assert!(e
        .for_field("references[0].title")
        .unwrap()
        .contains("Нормативный акт № 1"));
}

#[test]
fn news_takes_effect_no_earlier_than_its_acts() {
    let mut a = draft();
    a.legal_news_on = Some(d(2012, 8, 31));
    let e = check(&a).unwrap_err();
    assert!(e.for_field("legal_news_on").unwrap().contains("01.09.2012"));
    a.legal_news_on = Some(d(2012, 9, 1));
    assert!(check(&a).is_ok());
}

#[test]
fn control_characters_in_the_body_are_refused_but_lines_are_kept() {
    let mut a = draft();
    a.body = "строка\u{7}".into();
    assert!(check(&a).unwrap_err().for_field("body").is_some());
    a.body = "строка\n\tвторая".into();
    assert!(check(&a).is_ok());
}

#[test]
fn references_read_one_per_line() {
    let r = parse_references("ПП РФ № 354, п. 86 | 01.09.2012\n\n 307-ФЗ | 01.01.2016 ").unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].title, "307-ФЗ");
    assert_eq!(r[1].effective_on, d(2016, 1, 1));
    assert_eq!(parse_references(&format_references(&r)).unwrap(), r);
    let e = parse_references("ПП 354\nЖК РФ | 32.13.2020").unwrap_err();
    assert!(e.0[0].message.contains("Строка 1"));
    assert!(e.0[1].message.contains("Строка 2"));
    assert!(e.0.iter().all(|x| x.field == "references"));
}

#[test]
fn markdown_is_read_as_words() {
    assert_eq!(
        plain_text("# Заголовок\n\n**Жирный** и [ссылка](https://x.ru/a) `код`\n> цитата"),
        "Заголовок Жирный и ссылка код цитата"
    );
}

#[test]
fn word_forms_meet_the_index() {
    let index = index_terms(
        "Перерасчёт за отсутствие",
        "Начисления",
        "Заявление о перерасчёте подают в течение 30 дней после возвращения.",
    );
    let q = query_terms("как получить перерасчета после возвращения");
    // «как» is a stop word; the rest are stems.
    assert_eq!(q.len(), 4, "{q:?}");
    let s = score(&q, &index);
    assert_eq!(s.matched, 3, "{q:?} in {index:?}");
    // «перерасчёт» is in the title and the text: both weights.
    assert_eq!(s.weight, TITLE_WEIGHT + TEXT_WEIGHT + 2 * TEXT_WEIGHT);
}

#[test]
fn title_ranks_above_text_and_more_words_above_fewer() {
    let q = query_terms("тариф на отопление");
    let in_title = index_terms("Тариф на отопление", "Тарифы", "Как он установлен.");
    let in_text = index_terms(
        "Плата за тепло",
        "Тарифы",
        "Тариф на отопление утверждает РЭК.",
    );
    let one_word = index_terms("Тарифы", "Тарифы", "Список тарифов.");
    let mut hits = vec![
        (1, score(&q, &one_word), "one"),
        (2, score(&q, &in_text), "text"),
        (3, score(&q, &in_title), "title"),
        (
            4,
            score(&q, &index_terms("Вода", "Вода", "Холодная вода")),
            "none",
        ),
    ];
    rank(&mut hits);
    let order: Vec<_> = hits.iter().map(|h| h.2).collect();
    assert_eq!(order, ["title", "text", "one", "none"]);
    assert_eq!(hits[3].1.matched, 0);
}

#[test]
fn matched_words_are_highlighted_in_their_own_form() {
    let q = query_terms("перерасчёт");
    let p = highlight("Как получить перерасчёт? Перерасчета не будет.", &q, 200);
    let marked: Vec<_> = p
        .iter()
        .filter(|x| x.matched)
        .map(|x| x.text.as_str())
        .collect();
    assert_eq!(marked, ["перерасчёт", "Перерасчета"]);
    assert_eq!(joined(&p), "Как получить перерасчёт? Перерасчета не будет.");
}

#[test]
fn a_long_text_is_cut_around_the_first_match() {
    let filler = "слово ".repeat(100);
    let text = format!("{filler}здесь говорится про норматив потребления. {filler}");
    let q = query_terms("потребление");
    let p = highlight(&text, &q, 80);
    let s = joined(&p);
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.chars().count() <= 90, "{s}");
    assert_eq!(p.iter().filter(|x| x.matched).count(), 1);
    // Without a match: the beginning.
    let p = highlight(&text, &query_terms("газ"), 30);
    assert!(joined(&p).starts_with("слово"));
    assert!(p.iter().all(|x| !x.matched));
}

proptest! {
    /// Whatever the text, the fragment is a piece of it (besides the «…» marks), and a
    /// word marked is one the query asked for.
    #[test]
    fn fragments_are_pieces_of_the_text(text in "[а-яА-ЯёЁ0-9 ,.!?\\n-]{0,300}", q in "[а-я ]{0,30}", max in 10usize..200) {
        let terms = query_terms(&q);
        let p = highlight(&text, &terms, max);
        let s = joined(&p);
        let inner = s.trim_start_matches('…').trim_end_matches('…');
        prop_assert!(text.contains(inner), "{:?} not in {:?}", inner, text);
        for piece in p.iter().filter(|x| x.matched) {
            let w = piece.text.to_lowercase().replace('ё', "е");
            prop_assert!(terms.contains(&crate::words::stem(&w)));
        }
    }

    /// An article has every query word it contains: the score counts what the text holds.
    #[test]
    fn an_article_meets_its_own_words(title in "[а-я]{3,10}( [а-я]{3,10}){0,3}", body in "[а-я]{3,10}( [а-я]{3,10}){0,8}") {
        let index = index_terms(&title, "", &body);
        let q = query_terms(&format!("{title} {body}"));
        let s = score(&q, &index);
        prop_assert_eq!(s.matched as usize, q.len());
        // Title words weigh at least the title weight each.
        let tq = query_terms(&title);
        let ts = score(&tq, &index);
        prop_assert!(ts.weight >= TITLE_WEIGHT * tq.len() as i64);
    }

    /// Ranking is a sort by (matched, weight): best first, never a worse above a better.
    #[test]
    fn ranking_is_by_score(scores in proptest::collection::vec((0i64..5, 0i64..20), 0..30)) {
        let mut hits: Vec<(i64, Score, ())> = scores.iter().enumerate()
            .map(|(i, &(m, w))| (i as i64, Score { matched: m, weight: w }, ())).collect();
        rank(&mut hits);
        for pair in hits.windows(2) {
            prop_assert!(pair[0].1 >= pair[1].1);
        }
    }
}
