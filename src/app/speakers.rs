//! The numbered speaker bar behind Alt+1..9.
//!
//! Numbers stay put while people keep talking: a new speaker takes an empty
//! slot or the one used least recently, so the regulars keep their digit.

pub const SLOT_COUNT: usize = 9;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerSlots {
    slots: [Option<String>; SLOT_COUNT],
    last_used: [u64; SLOT_COUNT],
    uses: u64,
}

impl SpeakerSlots {
    /// Seeds the bar with the first roster entries, then replays who spoke.
    pub fn new<'a>(
        roster: impl IntoIterator<Item = &'a str>,
        spoken: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut slots = SpeakerSlots::default();
        for (slot, id) in slots.slots.iter_mut().zip(roster) {
            *slot = Some(id.to_string());
        }
        for id in spoken {
            slots.touch(id);
        }
        slots
    }

    /// Marks `id` as just used, giving it a slot if it has none.
    pub fn touch(&mut self, id: &str) {
        self.uses += 1;
        let index = match self.position(id) {
            Some(i) => i,
            None => {
                let free = self.slots.iter().position(Option::is_none);
                let index = free.unwrap_or_else(|| {
                    (0..SLOT_COUNT)
                        .min_by_key(|&i| self.last_used[i])
                        .unwrap_or(0)
                });
                self.slots[index] = Some(id.to_string());
                index
            }
        };
        self.last_used[index] = self.uses;
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.as_deref() == Some(id))
    }

    /// The participant behind digit `n` (1-based).
    pub fn get(&self, n: u8) -> Option<&str> {
        let index = usize::from(n).checked_sub(1)?;
        self.slots.get(index)?.as_deref()
    }

    /// (digit, participant id) for every filled slot, in digit order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, &str)> {
        (1u8..)
            .zip(self.slots.iter())
            .filter_map(|(n, s)| s.as_deref().map(|id| (n, id)))
    }

    /// Forgets a participant (e.g. one removed from the roster).
    pub fn rename(&mut self, from: &str, to: &str) {
        if let Some(i) = self.position(from) {
            self.slots[i] = Some(to.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regulars_keep_their_number_and_the_least_recent_slot_is_reused() {
        let roster: Vec<String> = (1..=9).map(|i| format!("p{i}")).collect();
        let mut slots = SpeakerSlots::new(roster.iter().map(String::as_str), []);
        assert_eq!(slots.get(1), Some("p1"));
        for id in ["p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"] {
            slots.touch(id);
        }
        slots.touch("newcomer");
        assert_eq!(slots.get(1), Some("newcomer"), "p1 was used least recently");
        slots.touch("p5");
        assert_eq!(slots.get(5), Some("p5"), "a regular keeps its digit");
        assert_eq!(slots.get(0), None);
        assert_eq!(slots.get(10), None);
    }

    #[test]
    fn empty_slots_are_filled_first() {
        let mut slots = SpeakerSlots::new(["a"], ["b", "a", "c"]);
        assert_eq!(
            slots.iter().collect::<Vec<_>>(),
            vec![(1, "a"), (2, "b"), (3, "c")]
        );
        slots.rename("b", "bee");
        assert_eq!(slots.get(2), Some("bee"));
    }
}
