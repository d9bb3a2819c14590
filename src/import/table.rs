//! The table an import reads: a CSV file or one sheet of a workbook, as
//! column titles and rows of cells, each row with the number a spreadsheet
//! shows for it, so a refused row can be found again.
//!
//! Pure: bytes in, table out. CSV written by Excel on a Chinese Windows is
//! often GB18030 (GBK) rather than UTF-8, may start with a byte-order mark,
//! or be UTF-16 when saved as "Unicode text"; the reader takes all of them
//! and says which one it read.

use std::io::Cursor;

use calamine::{Data, Reader};
use encoding_rs::{Encoding, GB18030, UTF_8};
use jiff::civil::Date;

use crate::diag::Msg;

/// One cell, typed as far as the file says: CSV gives text only, a
/// workbook gives numbers and dates too.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    /// An Excel error value (`#N/A`, `#REF!`).
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text, the way a spreadsheet shows it: whole numbers
    /// without `.0`, dates as `2026-03-05`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Error(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.to_string(),
        }
    }

    fn from_text(s: &str) -> Cell {
        let s = s.trim();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }
}

/// A number as text: `1001`, not `1001.0` (a code kept as a number).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A row of data and its number in the file (the spreadsheet's row, or
/// the CSV line it starts on).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }
}

/// What was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column titles, trimmed.
    pub headers: Vec<String>,
    /// Rows below the title row; rows with no value at all are left out.
    pub rows: Vec<Row>,
    /// How the file was read: an encoding and a delimiter for CSV, the
    /// sheet for a workbook (for the reader of the output).
    pub read_as: ReadAs,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum ReadAs {
    #[default]
    Unknown,
    Csv {
        encoding: &'static str,
        delimiter: char,
    },
    Sheet(String),
}

/// How to read: the mapping's `[source]`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The workbook's sheet; default the first.
    pub sheet: Option<String>,
    /// The row holding the titles; default the first row with a value.
    pub header_row: Option<usize>,
    /// A CSV file's encoding; default UTF-8 (with or without a BOM), else
    /// GB18030.
    pub encoding: Option<&'static Encoding>,
    /// A CSV file's delimiter; default the most frequent of `,` tab `;`
    /// in the first line.
    pub delimiter: Option<u8>,
}

/// Why a file could not be read as a table, as a message to translate.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError(pub Msg);

/// Whether a file is a workbook or CSV: by its extension, else by its
/// first bytes (a zip or an OLE compound file is a workbook).
pub fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => true,
        "csv" | "tsv" | "txt" => false,
        _ => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0"),
    }
}

/// Reads a file's bytes as a table.
pub fn read(name: &str, bytes: &[u8], options: &Options) -> Result<Table, ReadError> {
    if is_workbook(name, bytes) {
        read_workbook(bytes, options)
    } else {
        read_csv(bytes, options)
    }
}

/// Decodes CSV bytes: the encoding asked for, else a BOM's, else UTF-8,
/// else GB18030. Never guesses with replacement characters: a file that
/// is none of them is refused.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, &'static str), ReadError> {
    let strict = |enc: &'static Encoding, bytes: &[u8]| {
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .map(|t| t.into_owned())
    };
    if let Some(enc) = forced {
        let body = match Encoding::for_bom(bytes) {
            Some((bom, len)) if bom == enc => &bytes[len..],
            _ => bytes,
        };
        return strict(enc, body).map(|t| (t, enc.name())).ok_or_else(|| {
            ReadError(Msg::new("import.read.not-encoding").arg("encoding", enc.name()))
        });
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let name = if enc == UTF_8 {
            "UTF-8 (BOM)"
        } else {
            enc.name()
        };
        return strict(enc, &bytes[len..])
            .map(|t| (t, name))
            .ok_or_else(|| ReadError(Msg::new("import.read.not-encoding").arg("encoding", name)));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    }
    strict(GB18030, bytes)
        .map(|t| (t, "GB18030"))
        .ok_or_else(|| ReadError(Msg::new("import.read.unknown-encoding")))
}

/// The delimiter the first line uses most: `,`, tab or `;`.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|&x| x == c).count();
    let mut best = (b',', count(','));
    for d in [b'\t', b';'] {
        let n = count(d as char);
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn read_csv(bytes: &[u8], options: &Options) -> Result<Table, ReadError> {
    if bytes.contains(&0) && Encoding::for_bom(bytes).is_none() && options.encoding.is_none() {
        return Err(ReadError(Msg::new("import.read.binary")));
    }
    let (text, encoding) = decode(bytes, options.encoding)?;
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut lines = LineCounter::new(&text);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| lines.line_at(p.byte() as usize));
            ReadError(
                Msg::new("import.read.csv")
                    .arg("line", line)
                    .arg("error", e),
            )
        })?;
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(p.byte() as usize));
        records.push(Row {
            number: line,
            cells: record.iter().map(Cell::from_text).collect(),
        });
    }
    let mut table = split_header(records, options.header_row)?;
    table.read_as = ReadAs::Csv {
        encoding,
        delimiter: delimiter as char,
    };
    Ok(table)
}

/// Line numbers of byte offsets, counted forward once. The csv crate's
/// own line count is one short after a CRLF line end (it starts a record
/// between `\r` and `\n`), so lines are counted here from the record's
/// first byte.
struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at `byte` (offsets only
    /// grow); line-end bytes before the record are skipped.
    fn line_at(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while byte < self.text.len() && matches!(self.text[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte >= self.at {
            // A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files),
            // as the csv reader ends records.
            let text = self.text;
            self.line += (self.at..byte)
                .filter(|&i| {
                    text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n'))
                })
                .count();
            self.at = byte;
        }
        self.line
    }
}

fn read_workbook(bytes: &[u8], options: &Options) -> Result<Table, ReadError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError(Msg::new("import.read.workbook").arg("error", e)))?;
    let names = book.sheet_names();
    let sheet = match &options.sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(ReadError(
                    Msg::new("import.read.no-sheet")
                        .arg("sheet", s)
                        .arg("sheets", names.join(", ")),
                ));
            }
            s.clone()
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| ReadError(Msg::new("import.read.no-sheets")))?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| ReadError(Msg::new("import.read.workbook").arg("error", e)))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            number: first_row + i + 1,
            cells: cells.iter().map(workbook_cell).collect(),
        })
        .collect();
    let mut table = split_header(rows, options.header_row)?;
    table.read_as = ReadAs::Sheet(sheet);
    Ok(table)
}

/// A workbook cell as a [`Cell`]: dates the sheet formats as dates become
/// dates (in either of Excel's epochs), other numbers stay numbers.
fn workbook_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::from_text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(y as i16, m as i8, d as i8).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => {
            crate::values::parse_date(s).map_or_else(|| Cell::from_text(s), Cell::Date)
        }
        Data::DurationIso(s) => Cell::from_text(s),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// Splits rows into the title row and the data below it; rows without a
/// single value are dropped (sheets end in blank rows).
fn split_header(rows: Vec<Row>, header_row: Option<usize>) -> Result<Table, ReadError> {
    let mut rows = rows.into_iter();
    let header = match header_row {
        Some(n) => rows.find(|r| r.number >= n),
        None => rows.find(|r| r.cells.iter().any(|c| !c.is_blank())),
    };
    let Some(header) = header.filter(|h| h.cells.iter().any(|c| !c.is_blank())) else {
        return Err(ReadError(match header_row {
            Some(n) => Msg::new("import.read.no-header-row").arg("row", n),
            None => Msg::new("import.read.empty"),
        }));
    };
    Ok(Table {
        headers: header.cells.iter().map(Cell::text).collect(),
        rows: rows
            .filter(|r| r.cells.iter().any(|c| !c.is_blank()))
            .collect(),
        read_as: ReadAs::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(bytes: &[u8]) -> Table {
        read("t.csv", bytes, &Options::default()).unwrap()
    }

    #[test]
    fn csv_rows_carry_their_line_numbers_and_trimmed_cells() {
        let t = csv(b"code,name\r\nA1, Alpha \r\n\r\n,\r\nB2,\"Be\nta\"\r\nC3,Gamma\r\n");
        assert_eq!(t.headers, ["code", "name"]);
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 5, 7], "blank rows are dropped, numbers kept");
        assert_eq!(t.rows[0].cells[1], Cell::Text("Alpha".into()));
        assert_eq!(t.rows[1].cells[1], Cell::Text("Be\nta".into()));
        assert_eq!(
            t.read_as,
            ReadAs::Csv {
                encoding: "UTF-8",
                delimiter: ','
            }
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        // Found by fuzzing: two rows on "line 1" when lines end with `\r`.
        let t = csv(b"code,name\rA1,Alpha\rB2,Beta\r");
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3]);
    }

    #[test]
    fn utf8_with_a_bom_gbk_and_utf16_are_read() {
        let t = csv("\u{feff}项目,金额\n甲,1\n".as_bytes());
        assert_eq!(t.headers[0], "项目");
        assert!(matches!(
            t.read_as,
            ReadAs::Csv {
                encoding: "UTF-8 (BOM)",
                ..
            }
        ));

        let (gbk, _, _) = GB18030.encode("项目名称,负责人\n杭州地铁,李明\n");
        let t = csv(&gbk);
        assert_eq!(t.headers, ["项目名称", "负责人"]);
        assert_eq!(t.rows[0].cells[1], Cell::Text("李明".into()));
        assert!(matches!(
            t.read_as,
            ReadAs::Csv {
                encoding: "GB18030",
                ..
            }
        ));

        let mut utf16 = vec![0xFF, 0xFE];
        for u in "代号\t名称\nA\t甲\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let t = csv(&utf16);
        assert_eq!(t.headers, ["代号", "名称"]);
        assert_eq!(
            t.read_as,
            ReadAs::Csv {
                encoding: "UTF-16LE",
                delimiter: '\t'
            }
        );
    }

    #[test]
    fn a_forced_encoding_that_does_not_fit_is_refused() {
        let options = Options {
            encoding: Encoding::for_label(b"utf-8"),
            ..Options::default()
        };
        let (gbk, _, _) = GB18030.encode("项目\n甲\n");
        let e = read("t.csv", &gbk, &options).unwrap_err();
        assert_eq!(e.0.key, "import.read.not-encoding");
    }

    #[test]
    fn odd_files_are_refused_without_panicking() {
        let cases: [(&str, &[u8], &str); 4] = [
            ("t.csv", b"", "import.read.empty"),
            ("t.csv", b"\n\n , \n", "import.read.empty"),
            ("t.csv", b"\x00\x01\x02\xff\xfe\x00", "import.read.binary"),
            (
                "t.xlsx",
                b"PK\x03\x04 not really a zip",
                "import.read.workbook",
            ),
        ];
        for (name, bytes, key) in cases {
            let e = read(name, bytes, &Options::default()).unwrap_err();
            assert_eq!(e.0.key, key, "{name} {bytes:?}");
        }
        // Invalid UTF-8 that is not GB18030 either.
        let e = read("t.csv", b"a,b\n\x80\x80\x80\xff\n", &Options::default()).unwrap_err();
        assert_eq!(e.0.key, "import.read.unknown-encoding");
        // A header only: a table without rows.
        assert!(csv(b"code,name\n").rows.is_empty());
        // A huge cell is just a cell.
        let big = format!("code,name\nA,{}\n", "x".repeat(1 << 20));
        assert_eq!(csv(big.as_bytes()).rows[0].cell(1).text().len(), 1 << 20);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Whatever the bytes, a table or a reason, never a panic.
        #[test]
        fn any_bytes_give_a_table_or_a_reason(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            header_row in 0..4usize,
        ) {
            let options = Options {
                header_row: (header_row > 0).then_some(header_row),
                ..Options::default()
            };
            for name in ["t.csv", "t.xlsx", "t"] {
                if let Ok(t) = read(name, &bytes, &options) {
                    proptest::prop_assert!(t.rows.iter().all(|r| r.cells.iter().any(|c| !c.is_blank())));
                }
            }
        }
    }

    #[test]
    fn the_header_row_can_be_named() {
        let options = Options {
            header_row: Some(3),
            ..Options::default()
        };
        let t = read(
            "t.csv",
            b"Sales ledger\nexported 2026\ncode,name\nA,B\n",
            &options,
        )
        .unwrap();
        assert_eq!(t.headers, ["code", "name"]);
        assert_eq!(t.rows.len(), 1);
        let options = Options {
            header_row: Some(9),
            ..Options::default()
        };
        let e = read("t.csv", b"code\nA\n", &options).unwrap_err();
        assert_eq!(e.0.key, "import.read.no-header-row");
    }

    #[test]
    fn workbook_cells_keep_numbers_and_dates() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("台账").unwrap();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write(0, 0, "代号").unwrap();
        sheet.write(0, 1, "金额").unwrap();
        sheet.write(0, 2, "日期").unwrap();
        sheet.write(1, 0, 1001).unwrap();
        sheet.write(1, 1, 12.5).unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 5).unwrap();
        sheet.write_with_format(1, 2, &d, &date_format).unwrap();
        sheet.write(3, 0, "#2").unwrap();
        let bytes = book.save_to_buffer().unwrap();

        let t = read("ledger.xlsx", &bytes, &Options::default()).unwrap();
        assert_eq!(t.headers, ["代号", "金额", "日期"]);
        assert_eq!(t.read_as, ReadAs::Sheet("台账".into()));
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(t.rows[0].cell(0).text(), "1001");
        assert_eq!(t.rows[0].cell(1), &Cell::Number(12.5));
        assert_eq!(
            t.rows[0].cell(2),
            &Cell::Date(jiff::civil::date(2026, 3, 5))
        );
        assert_eq!(
            t.rows[1].number, 4,
            "the blank row 3 is skipped, not renumbered"
        );

        let options = Options {
            sheet: Some("Sheet9".into()),
            ..Options::default()
        };
        let e = read("ledger.xlsx", &bytes, &options).unwrap_err();
        assert_eq!(e.0.key, "import.read.no-sheet");
    }
}
