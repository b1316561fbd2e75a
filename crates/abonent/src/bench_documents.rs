//! `abonent bench --documents`: the document engine's figures — one certificate rendered warm
//! (p50/p99) and a batch of payment documents on all cores with progress and the memory
//! before, during and after (it must stay flat) — appended to docs/PERFORMANCE-HISTORY.md.

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use abonent_documents::{samples, DocKind, Engine, RenderRequest};

/// This process's resident memory now and its peak, MB.
pub fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

pub fn run(
    renders: usize,
    payments: usize,
    out: &Path,
    machine: &str,
    print_run: &crate::bench_print_run::PrintRunFigures,
) -> anyhow::Result<()> {
    let engine = Engine::new();
    let org = samples::organization();
    let cert = |i: usize| RenderRequest {
        kind: DocKind::RegistrationCertificate,
        template_override: None,
        org: &org,
        data: samples::data(DocKind::RegistrationCertificate),
        reg_number: format!("С-{i}/26"),
        issued_on: samples::date(),
    };
    let t = Instant::now();
    engine.render(&cert(0))?;
    let cold_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut ms = Vec::with_capacity(renders);
    for i in 1..=renders {
        let t = Instant::now();
        engine.render(&cert(i))?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    let (p50, p99) = (at(0.5), at(0.99));
    println!(
        "справка: первая {cold_ms:.0} мс, затем p50 {p50:.1} мс, p99 {p99:.1} мс ({renders} раз)"
    );

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (rss_before, _) = rss_mb();
    let pb = crate::cli::progress_bar(payments as u64, "Квитанции");
    let done = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let failed = AtomicUsize::new(0);
    let rss_mid = AtomicU64::new(0);
    // Every document differs (account, payer, amount), as in a real monthly run.
    let reqs = (0..payments).map(|i| {
        let mut d = samples::payment();
        d.account = format!("{}", 100_000 + i);
        // The sample's second service varies; the total follows its lines.
        let extra = (i as i64 * 37) % 900_000;
        d.lines[1].charged_kopecks += extra;
        d.lines[1].due_kopecks += extra;
        d.amount_kopecks = d.lines_total();
        d.flat = Some(format!("{}", i % 300 + 1));
        RenderRequest {
            kind: DocKind::PaymentDocument,
            template_override: None,
            org: &org,
            data: serde_json::to_value(d).unwrap_or_default(),
            reg_number: format!("П-{:06}/26", i + 1),
            issued_on: samples::date(),
        }
    });
    let t = Instant::now();
    engine.render_batch(reqs, threads, |_, r| {
        match r {
            Ok(pdf) => {
                bytes.fetch_add(pdf.len() as u64, Ordering::Relaxed);
            }
            Err(_) => {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n == payments / 2 {
            rss_mid.store(rss_mb().0 as u64, Ordering::Relaxed);
        }
        if n.is_multiple_of(50) || n == payments {
            pb.set_position(n as u64);
        }
    });
    pb.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    let (rss_after, peak) = rss_mb();
    let rss_mid = rss_mid.load(Ordering::Relaxed) as f64;
    let failed = failed.load(Ordering::Relaxed);
    let avg_kb = bytes.load(Ordering::Relaxed) as f64 / payments.max(1) as f64 / 1024.0;
    println!(
        "квитанции: {payments} за {secs:.1} с на {threads} потоках ({:.0} в с), ошибок {failed}, \
         в среднем {avg_kb:.0} КБ; память до {rss_before:.0} МБ, на середине {rss_mid:.0} МБ, \
         после {rss_after:.0} МБ, пик {peak:.0} МБ",
        payments as f64 / secs
    );

    let ok = |pass: bool| if pass { "✅" } else { "❌" };
    // «Flat»: the second half of the batch adds less than 10 % to what the first half reached.
    let flat = rss_after <= rss_mid * 1.1 + 5.0;
    let report = format!(
        "\n## Документы — {date}\n\nМашина: {machine}. Сборка release. Команда: `abonent bench --documents --payments {payments}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| Справка о регистрации, тёплый рендер ({renders} раз), p99 | ≤ 100 мс | первая {cold_ms:.0} мс; p50 {p50:.1} мс, p99 {p99:.1} мс | {r_ok} |\n\
| {payments} квитанций с QR-кодом одним пакетом, {threads} потока | ≤ 60 с | {secs:.1} с ({rate:.0} в с), ошибок {failed}, PDF в среднем {avg_kb:.0} КБ | {b_ok} |\n\
| Память во время пакета (до / середина / после / пик) | не растёт | {rss_before:.0} / {rss_mid:.0} / {rss_after:.0} / {peak:.0} МБ | {m_ok} |\n\
| Печать за месяц: {pr_docs} квитанций из расчётов с номерами и архивом, затем один PDF | ≤ 60 с | {pr_secs:.1} с + PDF {pr_pdf:.1} с; память {pr_m0:.0} / {pr_m1:.0} / {pr_m2:.0} МБ | {pr_ok} |\n",
        date = chrono::Local::now().format("%Y-%m-%d"),
        r_ok = ok(p99 <= 100.0),
        rate = payments as f64 / secs,
        b_ok = ok(secs <= 60.0 && failed == 0),
        m_ok = ok(flat),
        pr_docs = print_run.documents,
        pr_secs = print_run.secs,
        pr_pdf = print_run.pdf_secs,
        pr_m0 = print_run.rss.0,
        pr_m1 = print_run.rss.1,
        pr_m2 = print_run.rss.2,
        pr_ok = ok(print_run.secs + print_run.pdf_secs <= 60.0),
    );
    crate::bench::append_report(out, &report)
}
