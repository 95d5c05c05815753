//! Hash functions of the standard security handler, from RustCrypto.
//!
//! msq patch: upstream ports pdf.js's hand-written SHA-2 and MD5, which made
//! the revision 6 key derivation (up to a few hundred SHA-2 passes over 5 KB)
//! cost about 10 ms per AES-256 file; the `sha2` crate uses the CPU's SHA
//! extensions where present.

use sha2::Digest;

pub(crate) fn md5(data: &[u8]) -> [u8; 16] {
    md_5::Md5::digest(data).into()
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

pub(crate) fn sha384(data: &[u8]) -> [u8; 48] {
    sha2::Sha384::digest(data).into()
}

pub(crate) fn sha512(data: &[u8]) -> [u8; 64] {
    sha2::Sha512::digest(data).into()
}
