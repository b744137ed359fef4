//! A tiny SplitMix64 generator. The benchmark needs fast, cheap choices (which id to fetch, which
//! name to give a customer), not cryptographic randomness, and this avoids a new dependency.

/// A SplitMix64 pseudo-random generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Rng {
    /// A generator from a fixed seed (reproducible sequences per connection).
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x6A09_E667_F3BC_C908)
    }

    /// A generator seeded from the operating system, so two runs do not collide on unique
    /// columns (short codes, references) if they ever share a database.
    pub fn from_entropy() -> Self {
        Rng(u64::from_le_bytes(paylink::service::secrets::random_bytes::<8>()))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (multiply-shift: no modulo bias worth mentioning, no division).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Ten random bytes (the random part of a ULID id).
    pub fn bytes10(&mut self) -> [u8; 10] {
        let (a, b) = (self.next_u64().to_le_bytes(), self.next_u64().to_le_bytes());
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }

    /// `len` base62 characters.
    pub fn base62(&mut self, len: usize) -> String {
        (0..len).map(|_| BASE62[self.below(62) as usize] as char).collect()
    }

    /// `len` decimal digits.
    pub fn digits(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::new(7);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            let v = r.below(10) as usize;
            seen[v] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
