//! The import's reader: any bytes as a CSV file or a workbook (.xlsx,
//! .xls, .ods), read into titles and numbered rows or refused with a
//! message; never a panic, never rows out of order.
#![no_main]

use dealbook::import::table::{Options, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let name = match kind % 4 {
        0 => "sheet.csv",
        1 => "sheet.xlsx",
        2 => "sheet.xls",
        _ => "sheet.ods",
    };
    if let Ok(table) = read(name, bytes, &Options::default()) {
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert!(
            numbers.windows(2).all(|w| w[0] < w[1]),
            "rows in order: {numbers:?}"
        );
    }
});
