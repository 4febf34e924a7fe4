//! What a feature waits for: the features it requires, each with its lag, and its any-of
//! groups, each met by the first of its features delivered, plus the group's lag.

use super::{AnyOf, Feature};

impl Feature {
    /// Every feature this one may wait for: what it requires and every alternative of its
    /// any-of groups. An order that puts all of them first puts first whichever alternative a
    /// plan picks, so work queues and walks "prerequisites first" use this.
    pub fn needs(&self) -> impl Iterator<Item = usize> + '_ {
        self.requires.iter().map(|r| r.feature).chain(
            self.requires_any
                .iter()
                .flat_map(|group| group.features.iter().copied()),
        )
    }
}

impl AnyOf {
    /// The alternative delivered first by `delivery` (a period, a time: anything ordered),
    /// with its delivery; None when none is delivered. A tie goes to the one listed first.
    pub fn first_delivered<T: PartialOrd + Copy>(
        &self,
        delivery: impl Fn(usize) -> Option<T>,
    ) -> Option<(usize, T)> {
        let mut first: Option<(usize, T)> = None;
        for &g in &self.features {
            if let Some(d) = delivery(g) {
                if first.is_none_or(|(_, best)| d < best) {
                    first = Some((g, d));
                }
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_delivered_alternative_meets_a_group() {
        let group = AnyOf {
            features: vec![4, 2, 7],
            lag_periods: 1,
        };
        let periods = [None, None, Some(3), None, Some(1), None, None, Some(1)];
        assert_eq!(group.first_delivered(|g| periods[g]), Some((4, 1)));
        assert_eq!(group.first_delivered(|_| None::<usize>), None);
        let only_last = |g: usize| (g == 7).then_some(5);
        assert_eq!(group.first_delivered(only_last), Some((7, 5)));
    }
}
