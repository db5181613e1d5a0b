#!/usr/bin/env python3
"""Makes vendor/chrono-tz: chrono-tz from crates.io with its time zone
abbreviations kept inline instead of as `&'static str`.

Why: every transition of every zone named its abbreviation by a pointer,
56,000 pointers in 1 MB of tables that the dynamic loader had to relocate
(write) at every start of a position-independent binary: 250 pages, about
0.65 ms of minutes' 4.5 ms first frame (docs/performance.md). Inline, the
tables are read-only data that is only read when a zone is used. Upstream
is heading the same way (chronotope/chrono-tz#165, #220); drop this once a
release packs the names.

Usage, to move to another chrono-tz release (then update the version in
Cargo.toml's [patch] and run the tests):
    python3 vendor/patch-chrono-tz.py ~/.cargo/registry/src/*/chrono-tz-0.10.4
The script checks that undoing its edit gives the release's table back
byte for byte.
"""
import pathlib
import re
import shutil
import sys

source = pathlib.Path(sys.argv[1])
target = pathlib.Path(__file__).resolve().parent / "chrono-tz"
if target.exists():
    shutil.rmtree(target)
(target / "src" / "prebuilt").mkdir(parents=True)


def edit(text, old, new, count=1):
    if text.count(old) != count:
        sys.exit(f"patch-chrono-tz: expected {count} of {old!r}, found {text.count(old)}")
    return text.replace(old, new)


version = re.search(r'^version = "([^"]+)"', (source / "Cargo.toml").read_text(), re.M)[1]
(target / "Cargo.toml").write_text(f'''# chrono-tz {version} from crates.io with inline abbreviations: see
# ../patch-chrono-tz.py. Only the prebuilt tables: the features that
# regenerate them at build time (case-insensitive, filter-by-regex) are gone.
[package]
name = "chrono-tz"
version = "{version}"
edition = "2021"
license = "MIT OR Apache-2.0"
description = "TimeZone implementations for chrono from the IANA database"
repository = "https://github.com/chronotope/chrono-tz"
publish = false

[features]
default = ["std"]
std = []
serde = ["dep:serde"]

[dependencies]
chrono = {{ version = "0.4.25", default-features = false }}
phf = {{ version = "0.12", default-features = false }}
serde = {{ version = "1.0.99", optional = true, default-features = false }}
''')
for name in ["LICENSE"]:
    shutil.copy(source / name, target / name)
for name in ["binary_search.rs", "serde.rs"]:
    shutil.copy(source / "src" / name, target / "src" / name)
shutil.copy(source / "src/prebuilt/directory.rs", target / "src/prebuilt/directory.rs")

lib = (source / "src/lib.rs").read_text()
lib = edit(lib, '''#[cfg(not(any(feature = "case-insensitive", feature = "filter-by-regex")))]
use prebuilt::directory;''', "use prebuilt::directory;")
lib = re.sub(r'#\[cfg\(any\(feature = "case-insensitive", feature = "filter-by-regex"\)\)\]\nmod (directory|timezones) \{.*?\n\}\n', "", lib, flags=re.S)
lib = edit(lib, '''#[cfg(not(any(feature = "case-insensitive", feature = "filter-by-regex")))]
use prebuilt::timezones;''', "use prebuilt::timezones;")
# The crate's own tests need its dev-dependencies: they are not run here.
lib = re.sub(r"\n#\[cfg\(test\)\]\nmod tests \{.*", "\n", lib, flags=re.S)
if "feature = \"case-insensitive\"" in lib or "filter-by-regex" in lib:
    sys.exit("patch-chrono-tz: lib.rs still names a removed feature")
(target / "src/lib.rs").write_text(lib)

prebuilt = (source / "src/prebuilt/mod.rs").read_text()
prebuilt = prebuilt.replace('#[cfg(not(any(feature = "case-insensitive", feature = "filter-by-regex")))]\n', "")
(target / "src/prebuilt/mod.rs").write_text(prebuilt)

timezone_impl = (source / "src/timezone_impl.rs").read_text()
timezone_impl = edit(timezone_impl, "    pub name: Option<&'static str>,\n}\n", '''    pub name: Option<Abbreviation>,
}

/// A time zone abbreviation ("CET", "+0545"), kept in place rather than
/// pointed to: a table of these needs no relocation when a
/// position-independent program starts (see vendor/patch-chrono-tz.py).
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Abbreviation {
    len: u8,
    bytes: [u8; Abbreviation::MAX],
}

impl Abbreviation {
    /// The tz database's abbreviations have 3 to 6 characters.
    const MAX: usize = 7;

    pub(crate) const fn new(name: &str) -> Self {
        let from = name.as_bytes();
        // A longer one stops the build, not a program.
        assert!(from.len() <= Self::MAX, "time zone abbreviation too long");
        let mut bytes = [0; Self::MAX];
        let mut i = 0;
        while i < from.len() {
            bytes[i] = from[i];
            i += 1;
        }
        Abbreviation {
            len: from.len() as u8,
            bytes,
        }
    }

    pub fn as_str(&self) -> &str {
        // Whole characters of a `&str`, copied by `new`.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}
''')
timezone_impl = edit(timezone_impl, '''        if let Some(name) = self.name {
            return write!(f, "{name}");''', '''        if let Some(name) = &self.name {
            return f.write_str(name.as_str());''')
timezone_impl = edit(timezone_impl, '''    fn abbreviation(&self) -> Option<&str> {
        self.offset.name
    }''', '''    fn abbreviation(&self) -> Option<&str> {
        self.offset.name.as_ref().map(Abbreviation::as_str)
    }''')
(target / "src/timezone_impl.rs").write_text(timezone_impl)

tables = (source / "src/prebuilt/timezones.rs").read_text()
named = re.compile(r'name: Some\("([^"\\]*)"\)')
patched = named.sub(r'name: Some(Abbreviation::new("\1"))', tables)
patched = edit(patched, "use crate::timezone_impl::{TimeSpans, FixedTimespanSet, FixedTimespan};",
               "use crate::timezone_impl::{Abbreviation, TimeSpans, FixedTimespanSet, FixedTimespan};")
# Its `arbitrary` feature (fuzzing support) is not carried over.
arbitrary = '#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]\n'
patched = edit(patched, arbitrary, "")
undone = re.sub(r'name: Some\(Abbreviation::new\("([^"\\]*)"\)\)', r'name: Some("\1")', patched).replace(
    "{Abbreviation, TimeSpans", "{TimeSpans").replace(
    "#[derive(Clone, Copy, PartialEq, Eq, Hash)]\npub enum Tz", "#[derive(Clone, Copy, PartialEq, Eq, Hash)]\n" + arbitrary + "pub enum Tz")
if undone != tables or 'name: Some("' in patched:
    sys.exit("patch-chrono-tz: the edited tables do not give the release's back")
(target / "src/prebuilt/timezones.rs").write_text(patched)
print(f"vendor/chrono-tz: chrono-tz {version}, {len(named.findall(tables))} abbreviations inline")
