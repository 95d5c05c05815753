//! msq patch: limits on what Flate streams may inflate to, so that a
//! decompression bomb is refused while it is being inflated rather than
//! after it has filled memory. The limits hold for the thread between
//! `begin` and `end` (one document read); outside them nothing is limited.
//! A stream past a limit does not decode (as a damaged one does), and `end`
//! says which limit was passed first.

use std::cell::Cell;

/// What streams may inflate to.
#[derive(Debug, Clone, Copy)]
pub struct InflateLimits {
    /// A stream past `ratio_check_from` bytes may not inflate to more than
    /// this many times its compressed size.
    pub max_ratio: u64,
    /// Size (bytes inflated) from which the ratio is checked.
    pub ratio_check_from: u64,
    /// Most bytes one stream may inflate to.
    pub max_stream_bytes: u64,
    /// Most bytes all streams of the document may inflate to, together.
    pub max_total_bytes: u64,
}

/// The first limit a stream passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// A stream inflated past the ratio limit.
    Ratio {
        /// The stream's compressed size.
        compressed: u64,
    },
    /// The stream or the document inflated past its size limit.
    Size {
        /// Bytes inflated by the document, that stream included.
        inflated: u64,
    },
}

#[derive(Clone, Copy)]
struct State {
    limits: InflateLimits,
    total: u64,
    exceeded: Option<Exceeded>,
}

std::thread_local! {
    static STATE: Cell<Option<State>> = const { Cell::new(None) };
}

/// Starts limiting this thread's inflation.
pub fn begin(limits: InflateLimits) {
    STATE.with(|s| {
        s.set(Some(State {
            limits,
            total: 0,
            exceeded: None,
        }))
    });
}

/// Stops limiting; the first limit passed since `begin`, if any.
pub fn end() -> Option<Exceeded> {
    STATE.with(|s| s.take()).and_then(|state| state.exceeded)
}

/// The most bytes a stream of `compressed` bytes may inflate to now.
pub(crate) fn allowance(compressed: usize) -> u64 {
    STATE.with(|s| match s.get() {
        None => u64::MAX,
        Some(State { limits, total, .. }) => {
            let by_ratio = (compressed as u64)
                .saturating_mul(limits.max_ratio)
                .max(limits.ratio_check_from);
            by_ratio
                .min(limits.max_stream_bytes)
                .min(limits.max_total_bytes.saturating_sub(total))
        }
    })
}

/// Counts a stream that inflated to `inflated` bytes; `false` (and the
/// limit recorded) when that is past its allowance.
pub(crate) fn account(compressed: usize, inflated: usize) -> bool {
    let allowed = allowance(compressed);
    STATE.with(|s| {
        let Some(mut state) = s.get() else {
            return true;
        };
        let inflated = inflated as u64;
        let fits = inflated <= allowed;
        if fits {
            state.total = state.total.saturating_add(inflated);
        } else if state.exceeded.is_none() {
            let compressed = compressed as u64;
            let past_ratio = inflated > state.limits.ratio_check_from
                && inflated > compressed.saturating_mul(state.limits.max_ratio);
            state.exceeded = Some(if past_ratio {
                Exceeded::Ratio { compressed }
            } else {
                Exceeded::Size {
                    inflated: state.total.saturating_add(inflated),
                }
            });
        }
        s.set(Some(state));
        fits
    })
}
