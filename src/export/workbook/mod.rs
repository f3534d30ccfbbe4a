//! `results.xlsx`: the run's results as an Excel workbook for finance and
//! commissioning colleagues, each sheet one named Excel table drawn from
//! the typed result (never recomputed), with native charts that read
//! their cells, so that a reader who edits a cell sees the chart follow.
//!
//! The workbook carries no date or time (the document's creation time is
//! fixed), so a re-run writes the same bytes. It never holds a row per
//! draw: the draws stay in `samples.parquet` (and, on request, CSV).

mod charts;
mod sheets;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Table, TableColumn, TableStyle, Workbook,
    Worksheet,
};

use super::{AtomicFile, Exporter, Finished};
use crate::error::{Error, Result};
use crate::results::Results;

pub const FILE: &str = "results.xlsx";

/// The most rows an Excel sheet holds, its header included.
pub const EXCEL_ROWS: usize = 1_048_576;

/// The workbook exporter.
pub struct Excel;

impl Exporter for Excel {
    fn export(&self, dir: &Path, run: &Finished) -> Result<Vec<PathBuf>> {
        Ok(vec![write(dir, run.results)?])
    }

    fn files(&self) -> &'static [&'static str] {
        &[FILE]
    }
}

/// Writes `results.xlsx` into `dir` from `results`.
pub fn write(dir: &Path, results: &Results) -> Result<PathBuf> {
    let path = dir.join(FILE);
    let bytes = bytes(results).map_err(|e| Error::output(&path, e))?;
    let mut file = AtomicFile::create(&path)?;
    file.write_all(&bytes)?;
    file.commit()?;
    Ok(path)
}

/// One cell of a table, with the way it is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// £, with thousands separators.
    Money(f64),
    /// A probability or share, 0.000.
    Share(f64),
    /// A value in its own unit (a parameter's, a year, a size).
    Number(f64),
}

/// A column of a sheet's table: its header and its cells, top first.
pub struct Column {
    pub header: String,
    pub cells: Vec<Cell>,
}

/// A sheet: its name, the name of its Excel table, and the table's columns.
pub struct Sheet {
    pub name: &'static str,
    pub table: &'static str,
    pub columns: Vec<Column>,
}

impl Sheet {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.cells.len())
    }

    /// The column whose header is `header`.
    pub fn at(&self, header: &str) -> Option<u16> {
        let k = self.columns.iter().position(|c| c.header == header)?;
        u16::try_from(k).ok()
    }
}

/// The number formats every sheet shares.
struct Formats {
    header: Format,
    money: Format,
    share: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            money: Format::new().set_num_format("\"£\"#,##0;-\"£\"#,##0"),
            share: Format::new().set_num_format("0.000"),
        }
    }
}

/// The workbook's bytes.
pub fn bytes(results: &Results) -> std::result::Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    // A fixed creation time: the file depends on the results alone.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    book.set_properties(
        &DocProperties::new()
            .set_title("chh-psa results")
            .set_creation_datetime(&epoch),
    );
    let formats = Formats::new();
    for sheet in sheets::all(results) {
        if sheet.rows() == 0 {
            continue;
        }
        if sheet.rows() >= EXCEL_ROWS {
            return Err(format!(
                "sheet `{}` would need {} rows, more than Excel's {EXCEL_ROWS}",
                sheet.name,
                sheet.rows() + 1
            ));
        }
        let worksheet = book.add_worksheet();
        fill(worksheet, &sheet, &formats).map_err(|e| e.to_string())?;
        charts::add(worksheet, &sheet, results).map_err(|e| e.to_string())?;
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// Writes `sheet`'s table into `worksheet`: header frozen, columns sized.
fn fill(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    formats: &Formats,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    worksheet.set_name(sheet.name)?;
    for (k, column) in (0u16..).zip(&sheet.columns) {
        for (i, cell) in (1u32..).zip(&column.cells) {
            match cell {
                Cell::Text(text) => worksheet.write_string(i, k, text)?,
                Cell::Money(v) if v.is_finite() => {
                    worksheet.write_number_with_format(i, k, *v, &formats.money)?
                }
                Cell::Share(v) if v.is_finite() => {
                    worksheet.write_number_with_format(i, k, *v, &formats.share)?
                }
                Cell::Number(v) if v.is_finite() => worksheet.write_number(i, k, *v)?,
                // Excel has no NaN: a value that does not exist stays blank.
                _ => worksheet,
            };
        }
    }
    let headers: Vec<TableColumn> = sheet
        .columns
        .iter()
        .map(|c| {
            TableColumn::new()
                .set_header(&c.header)
                .set_header_format(&formats.header)
        })
        .collect();
    let table = Table::new()
        .set_name(sheet.table)
        .set_style(TableStyle::Light9)
        .set_columns(&headers);
    let last_col = u16::try_from(sheet.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let last_row = u32::try_from(sheet.rows()).unwrap_or(u32::MAX);
    worksheet.add_table(0, 0, last_row, last_col, &table)?;
    worksheet.set_freeze_panes(1, 0)?;
    // Printed, a sheet is one page wide, its charts beside its table.
    worksheet.set_landscape();
    worksheet.set_print_fit_to_pages(1, 0);
    worksheet.set_autofit_max_width(360);
    worksheet.autofit();
    Ok(())
}
