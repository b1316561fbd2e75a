//! The server's key for secrets in settings (SMTP password, SMS gateway authorization):
//! `ABONENT_SECRET_KEY` (64 hex digits or base64 of 32 bytes), else the key file
//! (`--secret-key-file`, by default `secret.key` in the data directory), which `serve`
//! creates with mode 0600 on its first start. Back it up apart from the database
//! (docs/BACKUP.md): without it the stored secrets cannot be read and must be entered again.

use std::io::Write;
use std::path::{Path, PathBuf};

use abonent_storage::crypto::Key;
use anyhow::{bail, Context};

use crate::cli::DbArgs;

/// The key file named by the options.
pub fn file_of(args: &DbArgs) -> PathBuf {
    args.secret_key_file
        .clone()
        .unwrap_or_else(|| args.data_dir.join("secret.key"))
}

/// The key from the environment or the file; with `create`, a missing file is created with a
/// fresh key, and its path is answered so that `serve` tells the operator (after what a
/// newcomer must do). `None`: no key given and none to create (commands that touch no
/// secret).
pub fn load(args: &DbArgs, create: bool) -> anyhow::Result<(Option<Key>, Option<PathBuf>)> {
    if let Ok(text) = std::env::var("ABONENT_SECRET_KEY") {
        let Some(key) = Key::parse(&text) else {
            bail!(
                "ABONENT_SECRET_KEY: нужен ключ из 64 шестнадцатеричных цифр или 32 байт в base64"
            );
        };
        return Ok((Some(key), None));
    }
    let file = file_of(args);
    if file.exists() {
        return Ok((Some(read(&file)?), None));
    }
    if !create {
        return Ok((None, None));
    }
    let key = Key::generate();
    write_new(&file, &key)?;
    Ok((Some(key), Some(file)))
}

/// What `serve` prints once it made a key file.
pub fn created_note(file: &Path) -> String {
    format!(
        "Создан ключ шифрования секретов настроек: {} — сохраните его копию отдельно от базы (docs/BACKUP.md).",
        file.display()
    )
}

fn read(file: &Path) -> anyhow::Result<Key> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("не удалось прочитать ключ {}", file.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(file) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    "файл ключа {} доступен не только владельцу: chmod 600",
                    file.display()
                );
            }
        }
    }
    match Key::parse(&text) {
        Some(k) => Ok(k),
        None => bail!(
            "файл {}: нужен ключ из 64 шестнадцатеричных цифр",
            file.display()
        ),
    }
}

fn write_new(file: &Path, key: &Key) -> anyhow::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("не удалось создать каталог {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(file)
        .with_context(|| format!("не удалось создать файл ключа {}", file.display()))?;
    writeln!(f, "{}", key.to_hex())?;
    f.sync_all()?;
    Ok(())
}
