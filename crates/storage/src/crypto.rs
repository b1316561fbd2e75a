//! Sealing small values with a 32-byte key: ChaCha20-Poly1305 (RustCrypto) with a random
//! nonce, stored as base64 of nonce ‖ ciphertext. Used for personal values in history (a key
//! per person, deleted by erasure) and for secrets in settings (the server's key).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::ChaCha20Poly1305;

const NONCE_LEN: usize = 12;

/// A 256-bit key. Its bytes are never printed.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A fresh random key from the operating system.
    pub fn generate() -> Key {
        let k = ChaCha20Poly1305::generate_key(&mut OsRng);
        let mut b = [0u8; 32];
        b.copy_from_slice(&k);
        Key(b)
    }

    /// Exactly 32 bytes, else `None`.
    pub fn from_bytes(b: &[u8]) -> Option<Key> {
        <[u8; 32]>::try_from(b).ok().map(Key)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A key written as text: 64 hex digits or base64 of 32 bytes (surrounding blanks ignored).
    pub fn parse(text: &str) -> Option<Key> {
        let t = text.trim();
        if let Ok(b) = hex::decode(t) {
            return Key::from_bytes(&b);
        }
        STANDARD.decode(t).ok().and_then(|b| Key::from_bytes(&b))
    }

    /// The key as 64 hex digits (the key file's content).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&self.0))
    }

    /// `plain` sealed; `aad` (not stored) must be given again to open it, so a sealed value
    /// cannot be moved to another row or setting.
    pub fn seal(&self, plain: &[u8], aad: &[u8]) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(&nonce, Payload { msg: plain, aad })
            .expect("ChaCha20-Poly1305 encrypts any message of a sane size");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        STANDARD.encode(out)
    }

    /// The plain bytes, or `None` when the text was not sealed by this key with this `aad`.
    pub fn open(&self, sealed: &str, aad: &[u8]) -> Option<Vec<u8>> {
        let raw = STANDARD.decode(sealed).ok()?;
        if raw.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        self.cipher()
            .decrypt(
                chacha20poly1305::Nonce::from_slice(nonce),
                Payload { msg: ct, aad },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn sealed_values_open_only_with_their_key_and_aad() {
        let k = Key::generate();
        let s = k.seal(b"secret", b"a");
        assert!(!s.contains("secret"));
        assert_eq!(k.open(&s, b"a").as_deref(), Some(&b"secret"[..]));
        assert_eq!(k.open(&s, b"b"), None);
        assert_eq!(Key::generate().open(&s, b"a"), None);
        assert_ne!(k.seal(b"secret", b"a"), s, "a fresh nonce every time");
    }

    #[test]
    fn keys_parse_from_hex_and_base64() {
        let k = Key::generate();
        assert_eq!(Key::parse(&k.to_hex()).unwrap().bytes(), k.bytes());
        use base64::Engine;
        let b = base64::engine::general_purpose::STANDARD.encode(k.bytes());
        assert_eq!(Key::parse(&format!(" {b}\n")).unwrap().bytes(), k.bytes());
        assert!(Key::parse("short").is_none());
    }
}
