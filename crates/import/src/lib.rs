//! Reading the files people bring from 1С or Excel: CSV/text in UTF-8 or windows-1251, or
//! XLSX. Pure code: bytes in, data out — storage and the web layer decide what to do next.
//!
//! [`read_table`] turns a file into a [`Table`]; [`map_registry`] turns a table into
//! registry rows validated with the domain forms, plus Russian errors naming every bad line.

mod address;
pub mod charges;
mod csv_reader;
mod encoding;
mod error;
mod guess;
mod limits;
mod mapping;
pub mod payments;
mod registry;
mod source;
mod table;
pub mod tariffs;
mod values;
mod xlsx_reader;

pub use address::{parse_address, parse_full_name, FullName, ParsedAddress};
pub use error::ImportError;
pub use limits::{check_upload, Limits, MAX_BYTES, MAX_CELLS, MAX_RATIO, MAX_ROWS, MAX_UNPACKED};
pub use mapping::{ColumnMapping, RegistryField};
pub use registry::{map_registry, ImportRow, RegistryDefaults, RegistryImport, RowError};
pub use table::{read_table, read_table_within, Row, SourceEncoding, Table};
