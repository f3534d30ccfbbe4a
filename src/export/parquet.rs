//! Parquet output, with provenance (seed, draws, engine version, inputs and
//! run-file hashes) in the file's key-value metadata and again in the Arrow
//! schema embedded in it, where pyarrow, pandas and R arrow look for it.

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;
use std::path::Path;

use super::AtomicFile;
use crate::error::{Error, Result};

pub type Metadata = Vec<(String, String)>;

/// Snappy, the codec every Parquet reader has, and faster than zstd on
/// floating-point samples for a slightly larger file (docs/performance.md).
/// The writer runs beside the draws, so it encodes on its own thread
/// rather than on the cores drawing.
fn writer_for<W: std::io::Write>(w: W, schema: &Schema, metadata: &Metadata) -> ParquetWriter<W> {
    let mut entries = vec![arrow_schema_entry(schema, metadata)];
    entries.extend(metadata.iter().cloned());
    ParquetWriter::new(w)
        .with_compression(ParquetCompression::Snappy)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(entries)))
        .set_parallel(false)
}

/// The `ARROW:schema` entry: the file's Arrow schema, as polars would write
/// it, but carrying the provenance as schema metadata. Readers built on
/// Arrow (pyarrow's `read_table(...).schema.metadata`, pandas, R arrow)
/// show that metadata and not the Parquet footer's.
fn arrow_schema_entry(schema: &Schema, metadata: &Metadata) -> (String, String) {
    use base64::Engine as _;
    use polars_arrow::io::ipc::write::{default_ipc_fields, schema_to_bytes};
    let arrow = schema.to_arrow(CompatLevel::newest());
    let custom: polars_arrow::datatypes::Metadata = metadata
        .iter()
        .map(|(k, v)| (k.as_str().into(), v.as_str().into()))
        .collect();
    let message = schema_to_bytes(
        &arrow,
        &default_ipc_fields(arrow.iter_values()),
        Some(&custom),
    );
    // Arrow's legacy framing, as Parquet writers store it: a continuation
    // marker, the message length, then the message.
    let mut framed = Vec::with_capacity(message.len() + 8);
    framed.extend_from_slice(&[255, 255, 255, 255]);
    framed.extend_from_slice(&(message.len() as u32).to_le_bytes());
    framed.extend_from_slice(&message);
    (
        "ARROW:schema".into(),
        base64::engine::general_purpose::STANDARD.encode(framed),
    )
}

/// Writes a whole frame to `path`, atomically.
pub fn write(path: &Path, df: &mut DataFrame, metadata: &Metadata) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    writer_for(file.writer(), df.schema(), metadata)
        .finish(df)
        .map_err(|e| Error::output(path, format!("writing Parquet failed: {e}")))?;
    file.commit()
}

/// A Parquet file written one row group at a time, so that memory stays
/// bounded however many rows there are; atomic like every output.
pub struct ChunkedParquet {
    path: std::path::PathBuf,
    writer: Option<BatchedWriter<Shared>>,
    /// The writer's buffer, flushed here once it has written the footer.
    buffer: Shared,
    file: Option<AtomicFile>,
}

/// A buffered file the Parquet writer writes to and the file's owner
/// flushes: the writer does not flush what it writes, nor give it back.
#[derive(Clone)]
struct Shared(std::sync::Arc<std::sync::Mutex<std::io::BufWriter<std::fs::File>>>);

impl std::io::Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.lock()?.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.lock()?.flush()
    }
}

impl Shared {
    fn lock(
        &self,
    ) -> std::io::Result<std::sync::MutexGuard<'_, std::io::BufWriter<std::fs::File>>> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("a thread writing the file stopped"))
    }
}

impl ChunkedParquet {
    pub fn create(path: &Path, schema: &Schema, metadata: &Metadata) -> Result<Self> {
        let mut file = AtomicFile::create(path)?;
        // Row groups are megabytes: a large buffer keeps the writes few.
        let buffer = Shared(std::sync::Arc::new(std::sync::Mutex::new(
            std::io::BufWriter::with_capacity(1 << 22, file.second_handle()?),
        )));
        let writer = writer_for(buffer.clone(), schema, metadata)
            .batched(schema)
            .map_err(|e| Error::output(path, format!("starting Parquet failed: {e}")))?;
        Ok(ChunkedParquet {
            path: path.to_path_buf(),
            writer: Some(writer),
            buffer,
            file: Some(file),
        })
    }

    pub fn write_chunk(&mut self, df: &DataFrame) -> Result<()> {
        if let Some(w) = self.writer.as_mut() {
            w.write_batch(df)
                .map_err(|e| Error::output(&self.path, format!("writing Parquet failed: {e}")))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.finish()
                .map_err(|e| Error::output(&self.path, format!("closing Parquet failed: {e}")))?;
        }
        std::io::Write::flush(&mut self.buffer).map_err(|e| Error::io(&self.path, e))?;
        match self.file.take() {
            Some(file) => file.commit(),
            None => Ok(()),
        }
    }
}

/// Reads the key-value metadata of a Parquet file.
pub fn read_metadata(path: &Path) -> Result<Metadata> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut reader = ParquetReader::new(file);
    let metadata = reader
        .get_metadata()
        .map_err(|e| Error::input(path, "", format!("not a readable Parquet file: {e}")))?;
    Ok(metadata
        .key_value_metadata()
        .iter()
        .flatten()
        .filter(|kv| kv.key != "ARROW:schema")
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect())
}

pub fn read(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| Error::input(path, "", format!("not a readable Parquet file: {e}")))
}

/// Reads only the named columns.
pub fn read_columns(path: &Path, names: &[String]) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    ParquetReader::new(file)
        .with_columns(Some(names.to_vec()))
        .finish()
        .map_err(|e| Error::input(path, "", format!("not a readable Parquet file: {e}")))
}
