//! Themes: `themes/*.toml` → ratatui styles. Drawing code only ever asks
//! the theme for a named style, never spells a colour.
//!
//! Built-in themes are compiled in; a file `NAME.toml` in the user's theme
//! folder overrides or adds one. A broken theme is reported (file and key)
//! and the default is used. `NO_COLOR` gives bold/reverse only, and
//! terminals without truecolor get the nearest of the 16 ANSI colours.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

const DEFAULT_THEME: &str = include_str!("../themes/default.toml");

/// The themes compiled into the binary: (name, source).
pub const BUILTIN_THEMES: [(&str, &str); 4] = [
    ("default", DEFAULT_THEME),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("colorblind", include_str!("../themes/colorblind.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    palette: HashMap<String, String>,
    styles: HashMap<String, StyleSpec>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
    #[serde(default)]
    dim: bool,
}

macro_rules! theme_styles {
    ($($name:ident),* $(,)?) => {
        /// Every named style the screen uses.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            $(pub $name: Style,)*
        }

        /// The style keys a theme file must define, in `[styles]`.
        pub const STYLE_KEYS: &[&str] = &[$(stringify!($name)),*];

        impl Theme {
            fn from_styles(styles: &HashMap<String, Style>) -> Result<Theme, ThemeError> {
                let get = |key: &str| {
                    styles.get(key).copied().ok_or_else(|| ThemeError::MissingKey(key.to_string()))
                };
                Ok(Theme { $($name: get(stringify!($name))?,)* })
            }

            fn map_styles(mut self, f: impl Fn(Style) -> Style) -> Theme {
                $(self.$name = f(self.$name);)*
                self
            }
        }
    };
}

theme_styles!(
    header,
    header_meta,
    header_clock,
    border,
    border_focus,
    pane_title,
    agenda_item,
    agenda_current,
    agenda_time,
    agenda_overrun,
    note_time,
    note_speaker,
    note_text,
    note_selected,
    kind_action,
    kind_decision,
    kind_link,
    speaker_number,
    speaker_current,
    speaker_other,
    editor_title,
    editor_editing,
    hint_key,
    hint_text,
    status_saved,
    status_info,
    status_error,
    picker_selected,
    picker_add,
    help_key,
    help_text,
    help_heading,
    empty,
    chart_bar,
    chart_silent,
);

/// themes/default.toml as Rust, so that the first frame parses no TOML
/// (0.2 ms of a 4 ms start, docs/performance.md). A test keeps the two
/// equal: change both.
const DEFAULT: Theme = {
    const fn rgb(hex: u32) -> Color {
        Color::Rgb((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
    }
    const TEXT: Color = rgb(0xd8dee9);
    const MUTED: Color = rgb(0x7b8496);
    const FAINT: Color = rgb(0x4c566a);
    const SURFACE: Color = rgb(0x2e3440);
    const ACCENT: Color = rgb(0x88c0d0);
    const ACCENT_STRONG: Color = rgb(0x5e81ac);
    const GOOD: Color = rgb(0xa3be8c);
    const WARN: Color = rgb(0xebcb8b);
    const BAD: Color = rgb(0xbf616a);
    const VIOLET: Color = rgb(0xb48ead);
    const BOLD: Modifier = Modifier::BOLD;
    const ITALIC: Modifier = Modifier::ITALIC;
    const UNDERLINED: Modifier = Modifier::UNDERLINED;
    const fn fg(color: Color) -> Style {
        Style::new().fg(color)
    }
    const fn on(fg: Color, bg: Color) -> Style {
        Style::new().fg(fg).bg(bg)
    }
    Theme {
        header: on(TEXT, SURFACE).add_modifier(BOLD),
        header_meta: on(MUTED, SURFACE),
        header_clock: on(ACCENT, SURFACE).add_modifier(BOLD),
        border: fg(FAINT),
        border_focus: fg(ACCENT),
        pane_title: fg(ACCENT).add_modifier(BOLD),
        agenda_item: fg(TEXT),
        agenda_current: on(SURFACE, ACCENT).add_modifier(BOLD),
        agenda_time: fg(MUTED),
        note_time: fg(MUTED),
        note_speaker: fg(ACCENT).add_modifier(BOLD),
        note_text: fg(TEXT),
        note_selected: on(TEXT, ACCENT_STRONG).add_modifier(BOLD),
        kind_action: fg(WARN).add_modifier(BOLD),
        kind_decision: fg(GOOD).add_modifier(BOLD),
        kind_link: fg(VIOLET).add_modifier(UNDERLINED),
        speaker_number: fg(MUTED),
        speaker_current: on(SURFACE, ACCENT).add_modifier(BOLD),
        speaker_other: fg(TEXT),
        editor_title: fg(ACCENT).add_modifier(BOLD),
        editor_editing: fg(WARN).add_modifier(BOLD),
        hint_key: fg(ACCENT).add_modifier(BOLD),
        hint_text: fg(MUTED),
        status_saved: fg(GOOD),
        status_info: fg(TEXT),
        status_error: on(TEXT, BAD).add_modifier(BOLD),
        picker_selected: on(SURFACE, ACCENT).add_modifier(BOLD),
        picker_add: fg(GOOD).add_modifier(ITALIC),
        help_key: fg(ACCENT).add_modifier(BOLD),
        help_text: fg(TEXT),
        help_heading: fg(WARN).add_modifier(BOLD),
        empty: fg(MUTED).add_modifier(ITALIC),
        agenda_overrun: on(SURFACE, WARN).add_modifier(BOLD),
        chart_bar: fg(ACCENT),
        chart_silent: fg(WARN).add_modifier(BOLD),
    }
};

#[derive(Debug, PartialEq)]
pub enum ThemeError {
    Syntax(String),
    MissingKey(String),
    UnknownKey(String),
    BadColor { key: String, value: String },
}

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ThemeError::Syntax(e) => write!(f, "{}", e.trim_end()),
            ThemeError::MissingKey(k) => write!(f, "styles.{k} is missing"),
            ThemeError::UnknownKey(k) => write!(f, "styles.{k} is not a style minutes knows"),
            ThemeError::BadColor { key, value } => {
                write!(
                    f,
                    "styles.{key}: \"{value}\" is neither a colour nor a palette entry"
                )
            }
        }
    }
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSupport {
    /// `NO_COLOR` is set: bold and reverse only.
    None,
    /// The 16 ANSI colours.
    Ansi16,
    /// xterm's 256 colours (`TERM=xterm-256color`, tmux's `screen-256color`).
    Ansi256,
    TrueColor,
}

impl ColorSupport {
    /// From the environment: `NO_COLOR` (any value) wins; `COLORTERM` of
    /// `truecolor` or `24bit` means truecolor; a `TERM` ending in
    /// `256color` (tmux sets no COLORTERM) 256 colours; otherwise 16.
    fn from_env(
        no_color: Option<&str>,
        colorterm: Option<&str>,
        term: Option<&str>,
    ) -> ColorSupport {
        if no_color.is_some_and(|v| !v.is_empty()) {
            ColorSupport::None
        } else if colorterm
            .is_some_and(|c| c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit"))
        {
            ColorSupport::TrueColor
        } else if term.is_some_and(|t| t.contains("256color")) {
            ColorSupport::Ansi256
        } else {
            ColorSupport::Ansi16
        }
    }

    pub fn detect() -> ColorSupport {
        let var = |name| std::env::var(name).ok();
        ColorSupport::from_env(
            var("NO_COLOR").as_deref(),
            var("COLORTERM").as_deref(),
            var("TERM").as_deref(),
        )
    }
}

impl Theme {
    pub fn parse(source: &str) -> Result<Theme, ThemeError> {
        let file: ThemeFile =
            toml::from_str(source).map_err(|e| ThemeError::Syntax(e.to_string()))?;
        let color = |key: &str, value: &str| {
            let resolved = file.palette.get(value).map_or(value, String::as_str);
            Color::from_str(resolved).map_err(|_| ThemeError::BadColor {
                key: key.to_string(),
                value: value.to_string(),
            })
        };
        let mut styles = HashMap::new();
        for (key, spec) in &file.styles {
            if !STYLE_KEYS.contains(&key.as_str()) {
                return Err(ThemeError::UnknownKey(key.clone()));
            }
            let mut style = Style::default();
            if let Some(fg) = &spec.fg {
                style = style.fg(color(key, fg)?);
            }
            if let Some(bg) = &spec.bg {
                style = style.bg(color(key, bg)?);
            }
            for (on, modifier) in [
                (spec.bold, Modifier::BOLD),
                (spec.italic, Modifier::ITALIC),
                (spec.underlined, Modifier::UNDERLINED),
                (spec.reversed, Modifier::REVERSED),
                (spec.dim, Modifier::DIM),
            ] {
                if on {
                    style = style.add_modifier(modifier);
                }
            }
            styles.insert(key.clone(), style);
        }
        Theme::from_styles(&styles)
    }

    /// The built-in default theme (`themes/default.toml`).
    pub fn builtin() -> Theme {
        DEFAULT
    }

    /// The theme called `name`: the user's `NAME.toml` in `user_dir` if there
    /// is one, else the built-in one. Any problem comes back as a message
    /// (file and key) with the default theme in its place.
    pub fn load(
        name: &str,
        user_dir: Option<&Path>,
        colors: ColorSupport,
    ) -> (Theme, Option<String>) {
        let (theme, warning) = match Theme::find(name, user_dir) {
            Ok(Some(theme)) => (theme, None),
            Ok(None) => (Theme::builtin(), None),
            Err(message) => (Theme::builtin(), Some(message)),
        };
        (theme.for_terminal(colors), warning)
    }

    /// The theme (`None`: the built-in default), or what to tell the user
    /// (what went wrong first, then that the default is used: the status
    /// line may cut the rest).
    fn find(name: &str, user_dir: Option<&Path>) -> Result<Option<Theme>, String> {
        if let Some(path) = user_dir
            .map(|d| d.join(format!("{name}.toml")))
            .filter(|p| p.exists())
        {
            let broken = |e: &dyn std::fmt::Display| {
                format!("{}: {e}; using the default theme", path.display())
            };
            let source = crate::store::read_text_file(&path, crate::store::TEXT_FILE_LIMIT)
                .map_err(|e| broken(&e))?;
            return Theme::parse(&source).map(Some).map_err(|e| broken(&e));
        }
        match BUILTIN_THEMES.iter().find(|(builtin, _)| *builtin == name) {
            Some(_) if name == "default" => Ok(None),
            Some((_, source)) => Theme::parse(source)
                .map(Some)
                .map_err(|e| format!("built-in theme {name}: {e}")),
            None => {
                let known: Vec<&str> = BUILTIN_THEMES.iter().map(|(n, _)| *n).collect();
                Err(format!(
                    "theme \"{name}\" not found: using the default theme (built in: {})",
                    known.join(", ")
                ))
            }
        }
    }

    /// Adapts the colours to what the terminal shows.
    pub fn for_terminal(self, colors: ColorSupport) -> Theme {
        match colors {
            ColorSupport::TrueColor => self,
            ColorSupport::Ansi16 => self.map_styles(|s| Style {
                fg: s.fg.map(nearest_ansi16),
                bg: s.bg.map(nearest_ansi16),
                ..s
            }),
            ColorSupport::Ansi256 => self.map_styles(|s| Style {
                fg: s.fg.map(nearest_256),
                bg: s.bg.map(nearest_256),
                ..s
            }),
            ColorSupport::None => Theme::plain(),
        }
    }

    /// Bold and reverse only, for NO_COLOR and as a last resort.
    pub fn plain() -> Theme {
        let strong = Style::default().add_modifier(Modifier::BOLD);
        let inverse = Style::default().add_modifier(Modifier::REVERSED);
        let plain = Style::default();
        let mut styles: HashMap<String, Style> =
            STYLE_KEYS.iter().map(|k| (k.to_string(), plain)).collect();
        for key in [
            "agenda_current",
            "agenda_overrun",
            "speaker_current",
            "picker_selected",
            "status_error",
            "note_selected",
            "chart_bar",
        ] {
            styles.insert(key.to_string(), inverse);
        }
        for key in [
            "header",
            "header_clock",
            "pane_title",
            "note_speaker",
            "kind_action",
            "kind_decision",
            "hint_key",
            "help_key",
            "help_heading",
            "editor_title",
            "editor_editing",
            "chart_silent",
        ] {
            styles.insert(key.to_string(), strong);
        }
        // Every key was inserted above.
        Theme::from_styles(&styles).unwrap_or_else(|e| unreachable!("{e}"))
    }
}

/// The ANSI colour nearest to an RGB one, as xterm shows the 16 colours.
/// The nearest of xterm's 256 colours: the 6x6x6 cube or the grey ramp,
/// whichever is closer (the 16 system colours vary by terminal).
fn nearest_256(color: Color) -> Color {
    let Color::Rgb(r, g, b) = color else {
        return color;
    };
    const LEVELS: [i32; 6] = [0, 95, 135, 175, 215, 255];
    let level = |c: u8| {
        let c = i32::from(c);
        (0..6).min_by_key(|&i| (LEVELS[i] - c).abs()).unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let average = (i32::from(r) + i32::from(g) + i32::from(b)) / 3;
    let grey_index = ((average - 8).max(0) / 10).min(23);
    let grey = 8 + 10 * grey_index;
    let distance = |(x, y, z): (i32, i32, i32)| {
        (x - i32::from(r)).pow(2) + (y - i32::from(g)).pow(2) + (z - i32::from(b)).pow(2)
    };
    if distance((grey, grey, grey)) < distance(cube) {
        Color::Indexed(232 + grey_index as u8)
    } else {
        Color::Indexed(16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8)
    }
}

fn nearest_ansi16(color: Color) -> Color {
    let Color::Rgb(r, g, b) = color else {
        return color;
    };
    const ANSI: [(Color, (i32, i32, i32)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    ANSI.iter()
        .min_by_key(|(_, (ar, ag, ab))| (r - ar).pow(2) + (g - ag).pow(2) + (b - ab).pow(2))
        .map_or(color, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme is Rust for a faster start; the file users copy
    /// must say the same.
    #[test]
    fn the_default_theme_in_rust_is_its_file() {
        assert_eq!(Theme::builtin(), Theme::parse(DEFAULT_THEME).unwrap());
    }

    #[test]
    fn every_builtin_theme_parses_and_defines_every_key() {
        for (name, source) in BUILTIN_THEMES {
            let theme = Theme::parse(source).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_ne!(theme, Theme::plain(), "{name}");
        }
        let theme = Theme::parse(DEFAULT_THEME).unwrap();
        assert_eq!(
            theme.note_speaker.fg,
            Some(Color::from_str("#88c0d0").unwrap())
        );
    }

    #[test]
    fn every_theme_file_in_the_folder_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                BUILTIN_THEMES.iter().any(|(n, _)| *n == name),
                "themes/{name}.toml is not compiled in"
            );
        }
    }

    #[test]
    fn errors_name_the_key() {
        let missing = Theme::parse("[styles]\nheader = { fg = \"red\" }\n").unwrap_err();
        assert_eq!(missing, ThemeError::MissingKey("header_meta".into()));
        let bad = DEFAULT_THEME.replace(
            "fg = \"muted\", bg = \"surface\"",
            "fg = \"mauve\", bg = \"surface\"",
        );
        assert_eq!(
            Theme::parse(&bad).unwrap_err().to_string(),
            "styles.header_meta: \"mauve\" is neither a colour nor a palette entry"
        );
    }

    #[test]
    fn user_themes_override_and_broken_ones_fall_back_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let mine = DEFAULT_THEME.replace("accent = \"#88c0d0\"", "accent = \"#ff0000\"");
        std::fs::write(dir.path().join("default.toml"), &mine).unwrap();
        let (theme, warning) = Theme::load("default", Some(dir.path()), ColorSupport::TrueColor);
        assert_eq!(warning, None);
        assert_eq!(theme.note_speaker.fg, Some(Color::Rgb(255, 0, 0)));

        std::fs::write(
            dir.path().join("broken.toml"),
            "[styles]\nheader = { fg = \"red\" }\n",
        )
        .unwrap();
        let (theme, warning) = Theme::load("broken", Some(dir.path()), ColorSupport::TrueColor);
        assert_eq!(theme, Theme::builtin());
        let warning = warning.unwrap();
        assert!(
            warning.starts_with(&dir.path().join("broken.toml").display().to_string()),
            "{warning}"
        );
        assert!(
            warning.contains("styles.header_meta is missing; using the default theme"),
            "{warning}"
        );

        let (_, warning) = Theme::load("neon", None, ColorSupport::TrueColor);
        assert_eq!(
            warning.unwrap(),
            "theme \"neon\" not found: using the default theme (built in: default, light, high-contrast, colorblind)"
        );
    }

    #[test]
    fn no_color_and_sixteen_colour_terminals() {
        assert_eq!(
            ColorSupport::from_env(Some("1"), Some("truecolor"), None),
            ColorSupport::None
        );
        assert_eq!(
            ColorSupport::from_env(Some(""), Some("truecolor"), None),
            ColorSupport::TrueColor
        );
        assert_eq!(
            ColorSupport::from_env(None, None, None),
            ColorSupport::Ansi16
        );
        // tmux: TERM says 256 colours, no COLORTERM.
        assert_eq!(
            ColorSupport::from_env(None, None, Some("screen-256color")),
            ColorSupport::Ansi256
        );
        let t256 = Theme::builtin().for_terminal(ColorSupport::Ansi256);
        assert!(matches!(
            t256.note_speaker.fg,
            Some(Color::Indexed(16..=255))
        ));
        assert_eq!(nearest_256(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(nearest_256(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        let plain = Theme::builtin().for_terminal(ColorSupport::None);
        assert_eq!(plain, Theme::plain());
        let sixteen = Theme::builtin().for_terminal(ColorSupport::Ansi16);
        for style in [sixteen.note_speaker, sixteen.status_error, sixteen.header] {
            assert!(
                !matches!(style.fg, Some(Color::Rgb(..)))
                    && !matches!(style.bg, Some(Color::Rgb(..)))
            );
        }
        assert_eq!(nearest_ansi16(Color::Rgb(250, 10, 10)), Color::LightRed);
        assert_eq!(nearest_ansi16(Color::Rgb(40, 40, 40)), Color::Black);
    }
}
