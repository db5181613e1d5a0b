//! The transcript at the event loop's edge: the effects `update` returns
//! (start or stop the listening thread, keep a segment on disk) carried
//! out, and what the thread heard handed back as actions.

use super::live::{Listener, Source, listen};
use super::store::TranscriptFile;
use super::{RecogniserConfig, TranscriptAction, TranscriptEffect, TranscriptError};
use crate::terminal::Input;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

pub struct Edge {
    /// Where audio comes from: `--audio-from`, or the devices with the
    /// `capture` feature; none: listening says how to get one.
    pub source: Option<Source>,
    pub config: RecogniserConfig,
    meeting: PathBuf,
    listener: Option<Listener>,
    /// Opened at the first segment kept.
    file: Option<TranscriptFile>,
    send: Sender<TranscriptAction>,
    receive: Receiver<TranscriptAction>,
}

impl Edge {
    pub fn new(meeting: &Path) -> Edge {
        let (send, receive) = channel();
        #[cfg(feature = "capture")]
        let source = Some(Source::Devices);
        #[cfg(not(feature = "capture"))]
        let source = None;
        Edge {
            source,
            config: RecogniserConfig::default(),
            meeting: meeting.to_path_buf(),
            listener: None,
            file: None,
            send,
            receive,
        }
    }

    /// Carries out an effect; `Err` says what could not be written, in
    /// words: the event loop hands them on as `Outcome::SaveFailed`.
    pub fn perform(
        &mut self,
        effect: TranscriptEffect,
        wake: Option<&Sender<Input>>,
    ) -> Result<(), String> {
        match effect {
            TranscriptEffect::Keep(segment) => {
                if self.file.is_none() {
                    let file = TranscriptFile::open(&self.meeting).map_err(|error| {
                        TranscriptError::Keep {
                            path: super::store::transcript_path(&self.meeting),
                            error,
                        }
                        .to_string()
                    })?;
                    self.file = Some(file);
                }
                if let Some(file) = self.file.as_mut() {
                    file.append(&segment).map_err(|error| {
                        TranscriptError::Keep {
                            path: file.path().to_path_buf(),
                            error,
                        }
                        .to_string()
                    })?;
                }
                Ok(())
            }
            TranscriptEffect::Stop => {
                self.listener = None;
                Ok(())
            }
            TranscriptEffect::Listen => {
                let send = self.send.clone();
                let Some(source) = self.source.clone() else {
                    let no_capture = TranscriptError::NoCapture.to_string();
                    let _ = send.send(TranscriptAction::Stopped(Err(no_capture)));
                    return Ok(());
                };
                let wake = wake.cloned();
                let sink = Box::new(move |action| {
                    let _ = send.send(action);
                    if let Some(wake) = &wake {
                        let _ = wake.send(Input::Wake);
                    }
                });
                self.listener = Some(listen(source, self.config.clone(), sink));
                Ok(())
            }
        }
    }

    /// What the listening thread sent since the last step.
    pub fn received(&mut self) -> Vec<TranscriptAction> {
        self.receive.try_iter().collect()
    }
}
