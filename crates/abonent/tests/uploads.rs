//! Zip bombs against the real server (issue 16 §1): four XLSX files of ~1 MB that unpack to a
//! gigabyte each arrive at once at the registry and charges imports; each is refused with the
//! Russian message naming the file field, and the server's peak memory stays under 500 MB
//! (before the limits, one such file took it to 2.3 GB). The bomb is made here, in memory.

use std::io::{BufRead, BufReader, Cursor, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A valid workbook whose sheet is `gib` GiB of rows of 100 numbers.
fn bomb(gib: u64) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, o).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", o).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
        .unwrap();
    let header: String = (0..100)
        .map(|c| format!(r#"<c t="inlineStr"><is><t>Колонка {c}</t></is></c>"#))
        .collect();
    zip.write_all(format!("<row>{header}</row>").as_bytes())
        .unwrap();
    // 64 rows a write: fewer, larger writes into the compressor.
    let rows = format!("<row>{}</row>", "<c><v>7</v></c>".repeat(100)).repeat(64);
    let mut written = 0u64;
    while written < gib << 30 {
        zip.write_all(rows.as_bytes()).unwrap();
        written += rows.len() as u64;
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn abonent(data_dir: &str, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(["--data-dir", data_dir])
        .args(args)
        .env_remove("ABONENT_DATABASE_URL")
        .env("ABONENT_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
}

/// The peak resident memory of a process so far, in MB (Linux: VmHWM).
fn peak_rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_zip_bombs_at_once_leave_the_server_small() {
    let dir = std::env::temp_dir().join(format!("abonent-bombs-{}", std::process::id()));
    let data_dir = dir.display().to_string();
    abonent(&data_dir, &["migrate"]);
    abonent(
        &data_dir,
        &[
            "user",
            "add",
            "admin",
            "--name",
            "Администратор Тестовый",
            "--role",
            "administrator",
            "--password",
            "correct horse 1",
        ],
    );
    let bytes = tokio::task::spawn_blocking(|| bomb(1)).await.unwrap();
    assert!(bytes.len() < 4 << 20, "the bomb is {} bytes", bytes.len());

    let mut child = Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(["--data-dir", &data_dir, "serve", "--listen", "127.0.0.1:0"])
        .env_remove("ABONENT_DATABASE_URL")
        .env("ABONENT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("serve announces its address").unwrap();
        if let Some(rest) = line.strip_prefix("Абонент: http://") {
            break format!("http://{}", rest.split('/').next().unwrap());
        }
    };
    std::thread::spawn(move || lines.for_each(drop));

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(300))
        .build()
        .unwrap();
    let login = client
        .post(format!("{base}/login"))
        .form(&[("login", "admin"), ("password", "correct horse 1")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let home = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = home
        .split(r#"<meta name="csrf-token" content=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page's CSRF token")
        .to_string();
    let before = peak_rss_mb(pid);

    let sends = ["imports/registry", "ledger/charges"]
        .iter()
        .cycle()
        .take(4)
        .map(|path| {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes.clone()).file_name("реестр.xlsx"),
            );
            client
                .post(format!("{base}/api/v1/{path}"))
                .header("X-CSRF-Token", &csrf)
                .multipart(form)
                .send()
        });
    let answers = futures_join(sends.collect()).await;
    let peak = peak_rss_mb(pid);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    for a in answers {
        let a = a.expect("the server answered");
        let status = a.status().as_u16();
        let body: serde_json::Value = a.json().await.unwrap();
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "file", "{body}");
        let m = body["errors"][0]["message"].as_str().unwrap();
        assert!(
            m.starts_with("Файл распаковывается в 1,0 ГБ — больше допустимых 200 МБ."),
            "{m}"
        );
    }
    println!(
        "four bombs of {} bytes: serve peak RSS {before} MB after sign-in, {peak} MB after",
        bytes.len()
    );
    assert!(
        peak < 500,
        "serve peaked at {peak} MB (before the uploads: {before} MB)"
    );
}

/// Wait for every request at once (the uploads must overlap on the server).
async fn futures_join<F: std::future::Future + Send + 'static>(fs: Vec<F>) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
