//! Themes: `themes/*.toml` → ratatui styles. Drawing code only ever asks
//! the theme for a named style, never spells a colour.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::HashMap;
use std::str::FromStr;

pub const DEFAULT_THEME: &str = include_str!("../themes/default.toml");

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
);

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
            ThemeError::Syntax(e) => write!(f, "{e}"),
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

    /// The built-in default theme.
    pub fn builtin() -> Theme {
        // The built-in file is checked by a unit test, so this cannot fail at run time.
        Theme::parse(DEFAULT_THEME).unwrap_or_else(|_| Theme::plain())
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
            "speaker_current",
            "picker_selected",
            "status_error",
            "note_selected",
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
        ] {
            styles.insert(key.to_string(), strong);
        }
        // Every key was inserted above.
        Theme::from_styles(&styles).unwrap_or_else(|e| unreachable!("{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_defines_every_key() {
        let theme = Theme::parse(DEFAULT_THEME).unwrap();
        assert_ne!(theme, Theme::plain());
        assert_eq!(
            theme.note_speaker.fg,
            Some(Color::from_str("#88c0d0").unwrap())
        );
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
}
