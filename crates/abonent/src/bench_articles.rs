//! `abonent bench --articles N`: the knowledge-base search of issue 20 §4 — N generated
//! articles on a fresh database, then queries of one to three words in varied forms timed
//! through the use case the pages and the API call (SQL candidates, ranking, fragments with
//! the matched words marked). Target: p99 ≤ 20 ms over 10 000 articles.

use std::path::Path;
use std::time::Instant;

use abonent_app::knowledge;
use abonent_app::{App, Clock};
use abonent_domain::knowledge::{ArticleDraft, Audience};
use abonent_storage::articles::{self, Filter};
use abonent_storage::{Actor, Db};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// Words articles are made of, each in two forms (the query may use either).
const WORDS: &[(&str, &str)] = &[
    ("перерасчёт", "перерасчёта"),
    ("тариф", "тарифы"),
    ("отопление", "отопления"),
    ("водоснабжение", "водоснабжения"),
    ("счётчик", "счётчики"),
    ("показания", "показаний"),
    ("норматив", "нормативу"),
    ("задолженность", "задолженности"),
    ("рассрочка", "рассрочку"),
    ("пени", "пеней"),
    ("жалоба", "жалобы"),
    ("претензия", "претензию"),
    ("отсутствие", "отсутствия"),
    ("справка", "справку"),
    ("квитанция", "квитанции"),
    ("электроэнергия", "электроэнергии"),
    ("капремонт", "капремонта"),
    ("собственник", "собственника"),
    ("регистрация", "регистрации"),
    ("поверка", "поверки"),
    ("мусор", "мусора"),
    ("лифт", "лифта"),
    ("подъезд", "подъезда"),
    ("управляющая", "управляющей"),
    ("организация", "организации"),
    ("договор", "договора"),
    ("субсидия", "субсидии"),
    ("льгота", "льготы"),
    ("начисление", "начисления"),
    ("оплата", "оплаты"),
    ("срок", "сроки"),
    ("заявление", "заявления"),
    ("документ", "документы"),
    ("закон", "закона"),
    ("постановление", "постановления"),
    ("газ", "газа"),
    ("канализация", "канализации"),
    ("площадь", "площади"),
    ("жилец", "жильцов"),
    ("прописка", "прописки"),
];

const CATEGORIES: &[&str] = &[
    "Начисления и оплата",
    "Перерасчёт",
    "Тарифы",
    "Жалобы",
    "Счётчики",
    "Документы",
];

/// Words drawn unevenly, as in real texts: the first of the list often, the last seldom.
fn sentence(rng: &mut SmallRng, words: usize) -> String {
    (0..words)
        .map(|_| {
            let u: f64 = rng.gen();
            let (a, b) = WORDS[((u * u) * WORDS.len() as f64) as usize % WORDS.len()];
            if rng.gen_bool(0.5) {
                a
            } else {
                b
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn article(rng: &mut SmallRng, i: usize) -> ArticleDraft {
    let title = format!("{} № {i}", sentence(rng, 3));
    let body = (0..rng.gen_range(4..12))
        .map(|_| {
            let n = rng.gen_range(6..16);
            format!("{}.", sentence(rng, n))
        })
        .collect::<Vec<_>>()
        .join(" ");
    ArticleDraft {
        title,
        body,
        category: CATEGORIES[i % CATEGORIES.len()].to_string(),
        audience: if i.is_multiple_of(3) {
            Audience::Residents
        } else {
            Audience::Staff
        },
        references: Vec::new(),
        legal_news_on: None,
    }
}

pub struct Options<'a> {
    pub articles: usize,
    pub queries: usize,
    pub postgres: Option<&'a str>,
    pub out: &'a Path,
    pub machine: String,
}

pub async fn run(o: Options<'_>) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-kb-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (db, backend) = match o.postgres {
        Some(url) => (Db::connect(url).await?, "PostgreSQL"),
        None => (
            Db::connect(&format!(
                "sqlite://{}",
                dir.join("abonent.sqlite").display()
            ))
            .await?,
            "SQLite",
        ),
    };
    abonent_storage::migrate::run(&db).await?;
    println!(
        "База знаний на {backend}: {} статей; машина: {}",
        o.articles, o.machine
    );
    let mut rng = SmallRng::seed_from_u64(20);
    let actor = Actor::system("bench");
    let pb = crate::cli::progress_bar(o.articles as u64, "Статьи");
    let t = Instant::now();
    for i in 0..o.articles {
        let d = abonent_domain::knowledge::check(&article(&mut rng, i))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        articles::create(&db, &d, &actor).await?;
        if i.is_multiple_of(100) {
            pb.set_position(i as u64);
        }
    }
    pb.finish_and_clear();
    let load_secs = t.elapsed().as_secs_f64();
    println!("загрузка: {load_secs:.1} с");

    let app = App::new(db, Clock::System);
    let queries: Vec<String> = (0..o.queries)
        .map(|_| {
            let n = rng.gen_range(1..=3);
            sentence(&mut rng, n)
        })
        .collect();
    // Warm the caches and the stemmer once, as a running server has them.
    knowledge::search(&app, &queries[0], &Filter::default(), 20).await?;
    let mut ms = Vec::with_capacity(queries.len());
    let mut found = 0usize;
    for q in &queries {
        let t = Instant::now();
        let hits = knowledge::search(&app, q, &Filter::default(), 20).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(!hits.is_empty());
    }
    let (p50, p99, max) = crate::bench::percentiles(ms);
    println!(
        "поиск: {} запросов, p50 {p50:.1} мс, p99 {p99:.1} мс, max {max:.1} мс; с результатом {found}",
        queries.len()
    );
    let build = if cfg!(debug_assertions) {
        "debug (не release: цифры завышены)"
    } else {
        "release"
    };
    let ok = if p99 <= 20.0 { "✅" } else { "❌" };
    let report = format!(
        "\n## База знаний — {date}\n\nМашина: {machine}. Сборка {build}. База {backend}. Команда: `abonent bench --articles {n}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| Поиск по {n} статьям (1–3 слова в разных формах, ранжирование и подсветка), {q} запросов | p99 ≤ 20 мс | p50 {p50:.1} мс, p99 {p99:.1} мс, max {max:.1} мс | {ok} |\n\
| Загрузка {n} статей (по одной, с версией и индексом) | — | {load_secs:.1} с | |\n",
        date = chrono::Local::now().format("%Y-%m-%d"),
        machine = o.machine,
        n = o.articles,
        q = queries.len(),
    );
    let _ = std::fs::remove_dir_all(&dir);
    crate::bench::append_report(o.out, &report)
}
