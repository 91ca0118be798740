//! Conversion between byte offsets (how Rust indexes `str`) and Unicode
//! code-point offsets (how the JSONL format counts). Every stage works in
//! byte offsets; this is the one place where they become code points and back.

/// A table from byte offsets to code-point offsets for one text.
///
/// ```
/// use tally::offsets::OffsetMap;
/// let text = "“Kyiv” freed 175 men";
/// let map = OffsetMap::new(text);
/// let byte = text.find("175").unwrap(); // 17: the quotes are 3 bytes each
/// assert_eq!(map.to_char(byte), 13);
/// assert_eq!(map.to_byte(13), Some(byte));
/// ```
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// Byte offset of every char boundary, in order, plus the text's length.
    byte_of_char: Vec<usize>,
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        OffsetMap { byte_of_char }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// Code-point offset of a byte offset that lies on a char boundary.
    /// A byte offset inside a char maps to the char that holds it.
    pub fn to_char(&self, byte: usize) -> usize {
        match self.byte_of_char.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a code-point offset; `None` past the end.
    pub fn to_byte(&self, ch: usize) -> Option<usize> {
        self.byte_of_char.get(ch).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_non_ascii_text() {
        let text = "• HOME»\n“false charges.” Ukraine’s · Zelenskyy";
        let map = OffsetMap::new(text);
        assert_eq!(map.char_len(), text.chars().count());
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.to_char(bi), ci);
            assert_eq!(map.to_byte(ci), Some(bi));
        }
        assert_eq!(map.to_char(text.len()), map.char_len());
        assert_eq!(map.to_byte(map.char_len()), Some(text.len()));
        assert_eq!(map.to_byte(map.char_len() + 1), None);
        // "Ukraine" is found by bytes and comes back as the same code points.
        let b = text.find("Ukraine").unwrap();
        let c = map.to_char(b);
        let s: String = text.chars().skip(c).take(7).collect();
        assert_eq!(s, "Ukraine");
    }

    #[test]
    fn byte_inside_a_char_maps_to_that_char() {
        let text = "a“b";
        let map = OffsetMap::new(text);
        assert_eq!(map.to_char(2), 1);
        assert_eq!(map.to_char(4), 2);
    }
}
