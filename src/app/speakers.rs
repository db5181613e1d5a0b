//! The numbered speaker bar behind Alt+1..9.
//!
//! A person's number does not change during the meeting: the chair's Alt+1
//! stays the chair's. Numbers go to the chair first, then in roster order;
//! someone without one gets a free number, or the number of someone on the
//! bar who has not spoken yet; when all nine have spoken, Tab picks them.

pub const SLOT_COUNT: usize = 9;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerSlots {
    slots: [Option<String>; SLOT_COUNT],
    /// Whether the holder of each slot has spoken (then it is theirs for good).
    spoke: [bool; SLOT_COUNT],
}

impl SpeakerSlots {
    /// Gives the pinned people their numbers, the roster the free ones in
    /// its order, then replays who spoke.
    pub fn new<'a>(
        pinned: impl IntoIterator<Item = (&'a str, u8)>,
        roster: impl IntoIterator<Item = &'a str>,
        spoken: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut slots = SpeakerSlots::default();
        for (id, n) in pinned {
            slots.assign(id, n);
        }
        for id in roster {
            if slots.position(id).is_some() {
                continue;
            }
            let Some(free) = slots.slots.iter().position(Option::is_none) else {
                break;
            };
            slots.slots[free] = Some(id.to_string());
        }
        for id in spoken {
            slots.touch(id);
        }
        slots
    }

    /// `id` speaks: they keep their number, or get a free one, or the last
    /// number held by someone who has not spoken; else none.
    pub fn touch(&mut self, id: &str) {
        let index = self.position(id).or_else(|| {
            let free = self.slots.iter().position(Option::is_none);
            let silent = || (0..SLOT_COUNT).rev().find(|&i| !self.spoke[i]);
            let index = free.or_else(silent)?;
            self.slots[index] = Some(id.to_string());
            Some(index)
        });
        if let Some(index) = index {
            self.spoke[index] = true;
        }
    }

    /// Gives `id` number `n` (1-based) for good; whoever had it loses it
    /// (F2, People: a number of one's choosing).
    pub fn assign(&mut self, id: &str, n: u8) {
        let Some(index) = usize::from(n).checked_sub(1).filter(|&i| i < SLOT_COUNT) else {
            return;
        };
        if let Some(old) = self.position(id) {
            self.slots[old] = None;
            self.spoke[old] = false;
        }
        self.slots[index] = Some(id.to_string());
        self.spoke[index] = true;
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
    fn a_number_stays_with_its_person() {
        let roster: Vec<String> = (1..=9).map(|i| format!("p{i}")).collect();
        let mut slots = SpeakerSlots::new([], roster.iter().map(String::as_str), []);
        assert_eq!(slots.get(1), Some("p1"));
        for id in ["p1", "p2", "p3"] {
            slots.touch(id);
        }
        // A newcomer takes the last number of someone who has not spoken.
        slots.touch("newcomer");
        assert_eq!(slots.get(9), Some("newcomer"));
        assert_eq!(slots.get(1), Some("p1"), "the chair keeps Alt+1");
        for id in ["p4", "p5", "p6", "p7", "p8"] {
            slots.touch(id);
        }
        // All nine have spoken: a tenth gets no number, nobody loses theirs.
        slots.touch("tenth");
        assert!(slots.iter().all(|(_, id)| id != "tenth"));
        assert_eq!(slots.get(9), Some("newcomer"));
        assert_eq!(slots.get(0), None);
        assert_eq!(slots.get(10), None);
    }

    #[test]
    fn empty_slots_are_filled_first_and_numbers_can_be_given() {
        let mut slots = SpeakerSlots::new([], ["a"], ["b", "a", "c"]);
        assert_eq!(
            slots.iter().collect::<Vec<_>>(),
            vec![(1, "a"), (2, "b"), (3, "c")]
        );
        slots.rename("b", "bee");
        assert_eq!(slots.get(2), Some("bee"));
        slots.assign("c", 7);
        assert_eq!((slots.get(3), slots.get(7)), (None, Some("c")));
    }

    #[test]
    fn pinned_numbers_come_first_and_the_roster_fills_around_them() {
        let slots = SpeakerSlots::new([("c", 1), ("a", 3)], ["a", "b", "c", "d"], []);
        assert_eq!(
            slots.iter().collect::<Vec<_>>(),
            vec![(1, "c"), (2, "b"), (3, "a"), (4, "d")]
        );
    }
}
