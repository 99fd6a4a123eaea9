//! BRF: formatted braille pages in; North American ASCII braille bytes out (the braille
//! ready format embossers and braille displays read: a cell per character, CR LF after each
//! line, a form feed between pages).

use super::Page;

/// The ASCII character of each 6-dot cell, by the cell's dots as bits (dot 1 = 1 … dot 6 = 32):
/// North American ASCII braille, as liblouis' `en-us-brf.dis` has it.
const ASCII: &[u8; 64] = b" A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=";

/// The BRF of the pages; `Err` with the first cell of dots 7 or 8, which BRF cannot hold.
pub fn write(pages: &[Page]) -> Result<Vec<u8>, char> {
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push(0x0c);
        }
        for line in &page.lines {
            for c in line.chars() {
                let dots = u32::from(c).wrapping_sub(0x2800);
                match usize::try_from(dots).ok().and_then(|d| ASCII.get(d)) {
                    Some(&ascii) => out.push(ascii),
                    None => return Err(c),
                }
            }
            out.extend_from_slice(b"\r\n");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::braille::PageNumber;

    #[test]
    fn cells_become_ascii_braille() {
        let page = |lines: &[&str]| Page {
            number: PageNumber::Body(1),
            lines: lines.iter().map(|l| l.to_string()).collect(),
            print: None,
        };
        let pages = [page(&["⠠⠭⠀⠴⠀⠁⠀⠧", ""]), page(&["⠼⠁⠃⠿"])];
        assert_eq!(write(&pages).unwrap(), b",X 0 A V\r\n\r\n\x0c#AB=\r\n");
        assert_eq!(write(&[page(&["⡁"])]), Err('⡁'));
        // Every one of the 64 cells has a character of its own.
        let mut seen: Vec<u8> = ASCII.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 64);
    }
}
