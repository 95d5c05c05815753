//! AES in CBC mode, from RustCrypto's `aes` (AES-NI where present).
//!
//! msq patch: upstream's table-driven AES works a byte at a time; decrypting
//! every string and stream of an AES file and the revision 6 key derivation
//! both spend most of their time here.

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};
use alloc::vec::Vec;

pub(crate) struct AESCipher<C> {
    cipher: C,
}

pub(crate) type AES128Cipher = AESCipher<aes::Aes128>;
pub(crate) type AES256Cipher = AESCipher<aes::Aes256>;

impl<C: KeyInit + BlockEncrypt + BlockDecrypt> AESCipher<C> {
    /// `None` when the key has the wrong length for this cipher.
    pub(crate) fn new(key: &[u8]) -> Option<Self> {
        C::new_from_slice(key).ok().map(|cipher| Self { cipher })
    }

    /// CBC encryption with PKCS#7 padding (always at least one byte of it).
    pub(crate) fn encrypt_cbc(&self, data: &[u8], iv: &[u8; 16]) -> Vec<u8> {
        let pad_len = 16 - data.len() % 16;
        let mut result = Vec::with_capacity(data.len() + pad_len);
        result.extend_from_slice(data);
        result.resize(data.len() + pad_len, pad_len as u8);
        let mut chain = *iv;
        for block in result.chunks_exact_mut(16) {
            for (b, c) in block.iter_mut().zip(chain) {
                *b ^= c;
            }
            let block = GenericArray::from_mut_slice(block);
            self.cipher.encrypt_block(block);
            chain.copy_from_slice(block);
        }
        result
    }

    /// CBC decryption of the whole 16-byte blocks of `data`; with `unpad`, valid
    /// PKCS#7 padding is removed (invalid padding is left in place).
    pub(crate) fn decrypt_cbc(&self, data: &[u8], iv: &[u8; 16], unpad: bool) -> Vec<u8> {
        let whole = data.len() / 16 * 16;
        let mut result = data[..whole].to_vec();
        let mut chain = *iv;
        for block in result.chunks_exact_mut(16) {
            let mut next = [0_u8; 16];
            next.copy_from_slice(block);
            self.cipher
                .decrypt_block(GenericArray::from_mut_slice(block));
            for (b, c) in block.iter_mut().zip(chain) {
                *b ^= c;
            }
            chain = next;
        }

        if unpad
            && let Some(&pad_len) = result.last()
            && pad_len > 0
            && pad_len <= 16
            && result.len() >= pad_len as usize
        {
            let start = result.len() - pad_len as usize;
            if result[start..].iter().all(|&b| b == pad_len) {
                result.truncate(start);
            }
        }

        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // FIPS-197 appendix C.1 and C.3 as one-block CBC with a zero IV.
    #[test]
    fn known_answers() {
        let plain: [u8; 16] = core::array::from_fn(|i| (i as u8) * 0x11);
        let key128: [u8; 16] = core::array::from_fn(|i| i as u8);
        let key256: [u8; 32] = core::array::from_fn(|i| i as u8);
        let c128 = AES128Cipher::new(&key128)
            .unwrap()
            .encrypt_cbc(&plain, &[0; 16]);
        let c256 = AES256Cipher::new(&key256)
            .unwrap()
            .encrypt_cbc(&plain, &[0; 16]);
        assert_eq!(
            c128[..16],
            [
                0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4,
                0xc5, 0x5a
            ]
        );
        assert_eq!(
            c256[..16],
            [
                0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf, 0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49,
                0x60, 0x89
            ]
        );
        let plain_128 = AES128Cipher::new(&key128)
            .unwrap()
            .decrypt_cbc(&c128, &[0; 16], true);
        let plain_256 = AES256Cipher::new(&key256)
            .unwrap()
            .decrypt_cbc(&c256, &[0; 16], true);
        assert_eq!(plain_128, plain);
        assert_eq!(plain_256, plain);
        assert!(AES128Cipher::new(&key256).is_none());
    }
}
