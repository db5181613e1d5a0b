//! The GitHub target, through the REST API with a token: each issue or
//! pull request of the group's repository linked in an agenda item (its
//! title or notes) gets a comment with that item's minutes, as W3C's
//! IRC bots do; with `--actions-as-issues`, each action not yet opened
//! becomes an issue.

use super::{PublishError, Request, headline};
use crate::model::{ActionIssue, Instant, Meeting, Note, NoteKind, Published, report_text};
use serde::Deserialize;
use std::time::Duration;

const DEFAULT_API: &str = "https://api.github.com";
/// A reply larger than this is no answer of GitHub's.
const MAX_REPLY: u64 = 1 << 20;

/// An issue or pull request number of `owner/repo` in `text`'s links.
fn linked_numbers(text: &str, repo: &str) -> Vec<u64> {
    let prefix = format!("github.com/{}/", repo.to_ascii_lowercase());
    let mut found = Vec::new();
    for word in text
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"'))
    {
        let lower = word.to_ascii_lowercase();
        let Some(at) = lower.find(&prefix) else {
            continue;
        };
        let rest = &lower[at + prefix.len()..];
        let number = ["issues/", "pull/"]
            .iter()
            .find_map(|kind| rest.strip_prefix(kind))
            .map(|n| {
                n.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|n| n.parse::<u64>().ok());
        if let Some(n) = number.filter(|n| !found.contains(n)) {
            found.push(n);
        }
    }
    found
}

/// An item's minutes as a comment: where and when, then its notes.
fn item_comment(meeting: &Meeting, item: u32) -> String {
    let title = meeting.item(item).map_or("", |i| i.title.as_str());
    let mut body = format!(
        "Discussed in **{}**, item {}: {}\n\n",
        headline(meeting),
        meeting.item_number(item).unwrap_or(0),
        title.trim()
    );
    for note in meeting
        .notes
        .iter()
        .filter(|n| n.item == Some(item) && !n.off_record)
    {
        body.push_str(&format!("- {}\n", note_line(meeting, note)));
    }
    if meeting.finalized.is_none() {
        body.push_str("\n(Draft minutes: not yet final.)\n");
    }
    body
}

/// A note as the comment reads it: "Chris shared that …", "Chris: …",
/// "**ACTION**: Chris to circulate the letter (due 2024-10-01)".
fn note_line(meeting: &Meeting, note: &Note) -> String {
    let mut who: Vec<&str> = note
        .speakers
        .iter()
        .map(|id| meeting.short_name(id))
        .collect();
    if note.kind == NoteKind::Action {
        who = note.owner.iter().map(|o| meeting.short_name(o)).collect();
    }
    let text = report_text(&note.text).replace('\n', " ");
    let text = text.trim();
    let label = note.kind.label();
    let mut line = String::new();
    if !label.is_empty() {
        line.push_str(&format!("**{label}**: "));
    }
    match who.join(", ") {
        who if who.is_empty() => line.push_str(text),
        // Reported speech ("shared that …") and actions ("to …") follow
        // the name; anything else is quoted after a colon.
        who if text.starts_with(|c: char| c.is_lowercase()) => {
            line.push_str(&format!("{who} {text}"))
        }
        who => line.push_str(&format!("{who}: {text}")),
    }
    if note.kind == NoteKind::Action
        && let Some(due) = note.due
    {
        line.push_str(&format!(" (due {due})"));
    }
    line
}

#[derive(Deserialize)]
struct Created {
    html_url: String,
}

struct Api {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Api {
    fn post(&self, path: &str, body: &serde_json::Value) -> Result<String, PublishError> {
        let url = format!("{}{path}", self.base.trim_end_matches('/'));
        let mut reply = self
            .agent
            .post(&url)
            .header("Authorization", &format!("Bearer {}", self.token))
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "minutes")
            .send_json(body)
            .map_err(|e| match e {
                ureq::Error::StatusCode(401) => PublishError::TokenRefused { url: url.clone() },
                ureq::Error::StatusCode(status @ (403 | 404)) => PublishError::NotAllowed {
                    url: url.clone(),
                    status,
                },
                other => PublishError::Http {
                    url: url.clone(),
                    error: other.to_string(),
                },
            })?;
        let created: Created = reply
            .body_mut()
            .with_config()
            .limit(MAX_REPLY)
            .read_json()
            .map_err(|e| PublishError::Reply {
                url: url.clone(),
                error: e.to_string(),
            })?;
        Ok(created.html_url)
    }
}

pub(super) fn publish(
    meeting: &Meeting,
    request: &Request,
    repo: &str,
    now: Instant,
) -> Result<Posted, PublishError> {
    if repo.split('/').filter(|p| !p.is_empty()).count() != 2 {
        return Err(PublishError::NotRepo(repo.to_string()));
    }
    let repo = repo.trim_matches('/');
    let (comments, actions) = to_post(meeting, request, repo);
    let record = Published {
        target: "github".into(),
        to: repo.to_string(),
        at: now,
        id: None,
        links: Vec::new(),
        draft: meeting.finalized.is_none(),
    };
    let told = |said| Posted {
        record: record.clone(),
        said,
        opened: Vec::new(),
        failed: None,
        nothing_new: false,
    };
    if comments.is_empty() && actions.is_empty() {
        return Ok(Posted {
            nothing_new: true,
            ..told(nothing_to_post(meeting, repo))
        });
    }
    if request.dry_run {
        return Ok(told(dry_run(meeting, repo, &comments, &actions)));
    }
    let api = Api::from(request)?;
    Ok(api.post_all(meeting, repo, record, &comments, &actions))
}

/// The comments to post (an issue number and the item's comment) and
/// the actions to open as issues. Issues commented on before (their
/// comments' addresses name them) are not commented on again, unless
/// --again: a run after a partial failure posts only what is missing.
fn to_post<'m>(
    meeting: &'m Meeting,
    request: &Request,
    repo: &str,
) -> (Vec<(u64, String)>, Vec<&'m Note>) {
    let already: Vec<u64> = meeting
        .published
        .iter()
        .filter(|p| p.target == "github" && p.to == repo)
        .flat_map(|p| p.links.iter())
        .filter(|link| link.contains("#issuecomment-"))
        .flat_map(|link| linked_numbers(link, repo))
        .collect();
    // Each item's title and notes, in one pass over the meeting.
    let mut texts: std::collections::HashMap<u32, String> = meeting
        .agenda
        .iter()
        .map(|item| (item.id, item.title.clone()))
        .collect();
    for note in meeting.notes.iter().filter(|n| !n.off_record) {
        if let Some(text) = note.item.and_then(|id| texts.get_mut(&id)) {
            text.push('\n');
            text.push_str(&note.text);
        }
    }
    let comments = meeting
        .agenda
        .iter()
        .flat_map(|item| {
            let body = item_comment(meeting, item.id);
            let text = texts.get(&item.id).map_or("", String::as_str);
            linked_numbers(text, repo)
                .into_iter()
                .map(move |n| (n, body.clone()))
        })
        .filter(|(n, _)| request.again || !already.contains(n))
        .collect();
    let actions = if request.targets.actions_as_issues {
        meeting
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Action && !n.off_record && !n.done)
            .filter(|n| !meeting.action_issues.iter().any(|i| i.note == n.id))
            .collect()
    } else {
        Vec::new()
    };
    (comments, actions)
}

fn nothing_to_post(meeting: &Meeting, repo: &str) -> String {
    match meeting
        .published
        .iter()
        .rev()
        .find(|p| p.target == "github" && p.to == repo)
    {
        Some(done) => format!(
            "github: already published to {repo} on {} (--again publishes again)",
            meeting.in_zone(done.at).format("%Y-%m-%d %H:%M")
        ),
        None => format!("github: no item links an issue of {repo}, and no action to open"),
    }
}

/// What a run would post, said in full.
fn dry_run(meeting: &Meeting, repo: &str, comments: &[(u64, String)], actions: &[&Note]) -> String {
    let mut said = format!(
        "github: would post {} and {} on {repo}",
        crate::text::plural(comments.len(), "comment"),
        crate::text::plural(actions.len(), "new issue")
    );
    for (n, body) in comments {
        said.push_str(&format!("\n  comment on #{n}:\n"));
        for line in body.lines() {
            said.push_str(&format!("    {line}\n"));
        }
    }
    for action in actions {
        said.push_str(&format!("\n  issue: {}", issue_title(meeting, action)));
    }
    said
}

impl Api {
    /// The API the request names (or GitHub's), with its token.
    fn from(request: &Request) -> Result<Api, PublishError> {
        let token = request
            .env
            .github_token
            .clone()
            .or_else(|| request.config.github_token.clone())
            .ok_or(PublishError::NoToken)?;
        let base = request
            .env
            .github_api
            .clone()
            .or_else(|| request.config.github_api.clone())
            .unwrap_or_else(|| DEFAULT_API.into());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Ok(Api { agent, base, token })
    }

    /// Posts every comment and opens every issue; a post that fails
    /// leaves the others posted, and is said.
    fn post_all(
        &self,
        meeting: &Meeting,
        repo: &str,
        mut record: Published,
        comments: &[(u64, String)],
        actions: &[&Note],
    ) -> Posted {
        let mut opened = Vec::new();
        let mut failures = Vec::new();
        for (n, body) in comments {
            match self.post(
                &format!("/repos/{repo}/issues/{n}/comments"),
                &serde_json::json!({ "body": body }),
            ) {
                Ok(url) => record.links.push(url),
                Err(e) => failures.push((format!("#{n}"), e)),
            }
        }
        for action in actions {
            let body = format!(
                "{}\n\nAn action of **{}**{}.",
                note_line(meeting, action),
                headline(meeting),
                action.due.map_or(String::new(), |d| format!(", due {d}"))
            );
            match self.post(
                &format!("/repos/{repo}/issues"),
                &serde_json::json!({ "title": issue_title(meeting, action), "body": body }),
            ) {
                Ok(url) => {
                    record.links.push(url.clone());
                    opened.push(ActionIssue {
                        note: action.id,
                        url,
                    });
                }
                Err(e) => failures.push((format!("action {}", action.id), e)),
            }
        }
        let failed = (!failures.is_empty()).then(|| PublishError::Posts {
            of: comments.len() + actions.len(),
            failures,
        });
        Posted {
            said: format!(
                "github: posted {} and {} on {repo}",
                crate::text::plural(record.links.len() - opened.len(), "comment"),
                crate::text::plural(opened.len(), "new issue")
            ),
            record,
            opened,
            failed,
            nothing_new: false,
        }
    }
}

/// What the GitHub target did: posts that failed leave the others posted
/// and recorded.
pub struct Posted {
    pub record: Published,
    pub said: String,
    pub opened: Vec<ActionIssue>,
    pub failed: Option<PublishError>,
    /// Everything was posted before: nothing to record.
    pub nothing_new: bool,
}

fn issue_title(meeting: &Meeting, action: &Note) -> String {
    let text: String = report_text(&action.text)
        .replace('\n', " ")
        .chars()
        .take(120)
        .collect();
    let text = text.trim();
    // "Chris to circulate the letter", as actions are written.
    match action.owner.as_deref().map(|o| meeting.short_name(o)) {
        Some(owner) if text.starts_with("to ") => format!("Action: {owner} {text}"),
        Some(owner) => format!("Action: {owner}: {text}"),
        None => format!("Action: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_the_repositorys_issues_and_pulls() {
        let text = "see https://github.com/w3c/csswg-drafts/issues/123 and <https://github.com/W3C/csswg-drafts/pull/45#issuecomment-1>, not https://github.com/other/repo/issues/9 nor /issues/123 again https://github.com/w3c/csswg-drafts/issues/123";
        assert_eq!(linked_numbers(text, "w3c/csswg-drafts"), [123, 45]);
    }
}
