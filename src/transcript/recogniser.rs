//! The speech recogniser, loaded at run time: `minutes` builds, runs and
//! passes its tests without it. Moonshine (base-en, MIT) through its C
//! API, `libmoonshine`, as the PyPI package `moonshine-cpp` ships it with
//! the model and ONNX Runtime (docs/transcript.md).
//!
//! The C API (moonshine-cpp 0.1.4, as its own ctypes binding declares it):
//! `int moonshine_load_model(const char *encoder, const char *decoder,
//! const char *tokenizer, int32_t model_type)` gives a handle (-1: failed);
//! `int moonshine_transcribe(int handle, const float *audio, size_t n,
//! char **text)` (0: done) with 16 kHz mono samples; `moonshine_free_text`,
//! `moonshine_free_model`. It takes no vocabulary or prompt, so roster
//! names and agenda words cannot be given to it.

use super::TranscriptError;
use serde::Deserialize;
use std::ffi::{CString, c_char, c_int};
use std::path::{Path, PathBuf};

/// Turns an utterance (16 kHz mono samples) into text.
pub trait Recogniser: Send {
    fn recognise(&mut self, samples: &[f32]) -> Result<String, TranscriptError>;
}

/// Where the recogniser is: config.toml's `[transcript]` (docs/config.md).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecogniserConfig {
    /// `libmoonshine.so`; ONNX Runtime is looked for beside it.
    pub library: Option<PathBuf>,
    /// The model's folder: `encoder_model.ort`, `decoder_model_merged.ort`,
    /// `tokenizer.bin`.
    pub model: Option<PathBuf>,
    /// Listen from the start of every meeting (as `--transcribe`).
    pub listen: bool,
}

/// The files of a Moonshine install.
#[derive(Debug, Clone, PartialEq)]
pub struct MoonshineFiles {
    pub library: PathBuf,
    /// ONNX Runtime beside the library, loaded first (libmoonshine needs
    /// it and does not say where it is).
    pub runtime: Option<PathBuf>,
    pub model: PathBuf,
}

impl RecogniserConfig {
    /// Finds the recogniser: the config's paths, else `MINUTES_MOONSHINE`
    /// (the `moonshine_cpp` package's folder), else the folder Python has
    /// the package in. `Err` says how to install it.
    pub fn locate(&self) -> Result<MoonshineFiles, TranscriptError> {
        let package = std::env::var_os("MINUTES_MOONSHINE")
            .map(PathBuf::from)
            .or_else(python_package);
        let library = self
            .library
            .clone()
            .or_else(|| package.as_ref().map(|p| p.join("libmoonshine.so")));
        let model = self
            .model
            .clone()
            .or_else(|| package.as_ref().map(|p| p.join("models").join("base-en")));
        let (Some(library), Some(model)) = (library, model) else {
            return Err(TranscriptError::NotInstalled);
        };
        if !library.is_file() {
            return Err(TranscriptError::LibraryMissing(library));
        }
        for file in MODEL_FILES {
            if !model.join(file).is_file() {
                return Err(TranscriptError::ModelFileMissing { model, file });
            }
        }
        let runtime = library.parent().and_then(onnx_runtime_in);
        Ok(MoonshineFiles {
            library,
            runtime,
            model,
        })
    }

    /// Loads the recogniser (a second or so: the model is read).
    pub fn load(&self) -> Result<Box<dyn Recogniser>, TranscriptError> {
        let files = self.locate()?;
        Moonshine::load(&files).map(|m| Box::new(m) as Box<dyn Recogniser>)
    }
}

const MODEL_FILES: [&str; 3] = [
    "encoder_model.ort",
    "decoder_model_merged.ort",
    "tokenizer.bin",
];

/// The folder Python keeps `moonshine_cpp` in, asked of `python3` without
/// importing the package (which would load its libraries).
fn python_package() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import importlib.util as u; s = u.find_spec('moonshine_cpp'); print(s.submodule_search_locations[0] if s else '')",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let folder = String::from_utf8(out.stdout).ok()?;
    let folder = folder.trim();
    (out.status.success() && !folder.is_empty()).then(|| PathBuf::from(folder))
}

fn onnx_runtime_in(folder: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libonnxruntime.so"))
        })
        .collect();
    found.sort();
    found.pop()
}

type LoadModel = unsafe extern "C" fn(*const c_char, *const c_char, *const c_char, i32) -> c_int;
type Transcribe = unsafe extern "C" fn(c_int, *const f32, usize, *mut *mut c_char) -> c_int;
type FreeText = unsafe extern "C" fn(*mut c_char);
type FreeModel = unsafe extern "C" fn(c_int);

/// Moonshine loaded: its library (kept open while the functions taken
/// from it are used) and the model's handle.
pub struct Moonshine {
    handle: c_int,
    transcribe: Transcribe,
    free_text: FreeText,
    free_model: FreeModel,
    _library: libloading::Library,
    _runtime: Option<libloading::Library>,
}

fn c_path(path: &Path) -> Result<CString, TranscriptError> {
    CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| TranscriptError::NulInPath(path.to_path_buf()))
}

impl Moonshine {
    pub fn load(files: &MoonshineFiles) -> Result<Moonshine, TranscriptError> {
        let failed = |what: &Path, error: libloading::Error| TranscriptError::Library {
            path: what.to_path_buf(),
            error,
        };
        // SAFETY: loading a library runs its initialisers; these are the
        // libraries the user installed as the recogniser. ONNX Runtime is
        // loaded globally so that libmoonshine's dependency on it (by its
        // soname) is met by this copy.
        let runtime = match &files.runtime {
            Some(path) => Some(unsafe {
                libloading::os::unix::Library::open(
                    Some(path),
                    libloading::os::unix::RTLD_NOW | libloading::os::unix::RTLD_GLOBAL,
                )
                .map(libloading::Library::from)
                .map_err(|e| failed(path, e))?
            }),
            None => None,
        };
        // SAFETY: as above.
        let library = unsafe { libloading::Library::new(&files.library) }
            .map_err(|e| failed(&files.library, e))?;
        // SAFETY: the types are those of the C API (module docs); the
        // function pointers are used only while `library` is kept.
        let (load, transcribe, free_text, free_model) = unsafe {
            let load = *library
                .get::<LoadModel>(b"moonshine_load_model\0")
                .map_err(|e| failed(&files.library, e))?;
            let transcribe = *library
                .get::<Transcribe>(b"moonshine_transcribe\0")
                .map_err(|e| failed(&files.library, e))?;
            let free_text = *library
                .get::<FreeText>(b"moonshine_free_text\0")
                .map_err(|e| failed(&files.library, e))?;
            let free_model = *library
                .get::<FreeModel>(b"moonshine_free_model\0")
                .map_err(|e| failed(&files.library, e))?;
            (load, transcribe, free_text, free_model)
        };
        let [encoder, decoder, tokenizer] = MODEL_FILES.map(|f| c_path(&files.model.join(f)));
        let (encoder, decoder, tokenizer) = (encoder?, decoder?, tokenizer?);
        let tiny = files.model.to_string_lossy().contains("tiny");
        // SAFETY: three NUL-terminated paths that live through the call.
        let handle = unsafe {
            load(
                encoder.as_ptr(),
                decoder.as_ptr(),
                tokenizer.as_ptr(),
                if tiny { 0 } else { 1 },
            )
        };
        if handle < 0 {
            return Err(TranscriptError::ModelNotLoaded(files.model.clone()));
        }
        Ok(Moonshine {
            handle,
            transcribe,
            free_text,
            free_model,
            _library: library,
            _runtime: runtime,
        })
    }
}

impl Recogniser for Moonshine {
    fn recognise(&mut self, samples: &[f32]) -> Result<String, TranscriptError> {
        if samples.is_empty() {
            return Ok(String::new());
        }
        let mut text: *mut c_char = std::ptr::null_mut();
        // SAFETY: `samples` is valid for its length through the call; the
        // library writes a string it allocated into `text`, freed below
        // with its own function.
        let status =
            unsafe { (self.transcribe)(self.handle, samples.as_ptr(), samples.len(), &mut text) };
        if status != 0 || text.is_null() {
            return Err(TranscriptError::Recognising(status));
        }
        // SAFETY: a NUL-terminated string from the library, copied before it is freed.
        let said = unsafe { std::ffi::CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: the string the library gave, freed once.
        unsafe { (self.free_text)(text) };
        Ok(said)
    }
}

impl Drop for Moonshine {
    fn drop(&mut self) {
        // SAFETY: the handle the library gave, freed once, while the
        // library is still loaded (fields drop after this).
        unsafe { (self.free_model)(self.handle) };
    }
}

// SAFETY: the handle and functions are used from one thread at a time
// (`&mut self`); Moonshine keeps no thread-bound state.
unsafe impl Send for Moonshine {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_recogniser_says_how_to_install_it() {
        let config = RecogniserConfig {
            library: Some("/nonexistent/libmoonshine.so".into()),
            model: Some("/nonexistent/base-en".into()),
            listen: false,
        };
        let error = config
            .locate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("/nonexistent/libmoonshine.so"), "{error}");
        assert!(error.contains("pip install moonshine-cpp"), "{error}");
    }
}
