//! Fixed-length lists in the files, read exactly: toml's own `[T; 2]`
//! takes the first two elements of a longer list and ignores the rest, so
//! `opens = [1, 3, 5]` would pass as `[1, 3]`.

use serde::{Deserialize, Deserializer, de::Error as _};

/// Exactly two values, such as a `[first, last]` year or a `[low, high]`
/// range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Two<T>(pub [T; 2]);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Two<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<T>::deserialize(d)?;
        let length = values.len();
        <[T; 2]>::try_from(values)
            .map(Two)
            .map_err(|_| D::Error::invalid_length(length, &"a list of exactly two values"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        pair: Two<i64>,
    }

    #[test]
    fn two_values_are_read_and_any_other_count_refused() {
        let ok: Holder = toml::from_str("pair = [1, 3]").unwrap();
        assert_eq!(ok.pair, Two([1, 3]));
        for text in ["pair = [1, 3, 5]", "pair = [1]", "pair = []"] {
            let e = toml::from_str::<Holder>(text).err().unwrap().to_string();
            assert!(e.contains("exactly two values"), "{text}: {e}");
        }
        let e = toml::from_str::<Holder>("pair = [1, 3, \"junk\"]")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("junk") || e.contains("string"), "{e}");
    }
}
