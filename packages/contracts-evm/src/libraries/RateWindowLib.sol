// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title RateWindowLib — rolling 24 h inbound notional in hourly buckets (docs/protocol.md §10)
/// @notice Admitted notional (whole USD) is booked into the bucket of its hour. The window checked
///         on admission is the current hour's bucket plus the 24 buckets before it (25 buckets), so
///         every 24 h interval of real time, aligned to bucket boundaries or not, overlaps at most
///         the buckets of one check: credits admitted by capacity never total more than `limit`
///         within any 24 h. Capacity returns 24-25 h after an admission (core frees it after
///         exactly 24 h, so the chain is never looser than core).
/// @dev The current bucket and the sum of the 24 previous ones (`prior`) live in the emitter's hot
///      slot; the 24 previous buckets live in a ring of 5 words (48 bits x 5 per word, position
///      = hour % 24) touched only when the hour changes. Buckets saturate at 2^48 - 1, and `prior`
///      is recomputed from the ring on every roll (no drift); a saturated sum is >= any limit.
library RateWindowLib {
    uint256 internal constant BUCKET = 3600;
    uint256 internal constant RING = 24;
    uint256 internal constant MAX = type(uint48).max;

    /// @notice Per-emitter limiter state (one storage slot).
    struct Window {
        uint48 limit; // USD per rolling 24 h; 0 = emitter not registered
        uint48 largeTransfer; // a single credit above this is queued
        uint48 prior; // notional admitted in the 24 hours before `hour`
        uint48 current; // notional admitted in `hour`
        uint24 hour; // block.timestamp / 3600 of the last update
        uint32 queued; // entries waiting in the FIFO queue
    }

    /// @notice Whether `usd` fits the window now (ignores the queue and the large-transfer rule).
    function fits(Window memory w, uint256 usd) internal pure returns (bool) {
        return uint256(w.prior) + w.current + usd <= w.limit;
    }

    /// @notice Books `usd` into the current bucket (saturating: a delayed release may exceed the limit).
    function add(Window memory w, uint256 usd) internal pure {
        uint256 c = uint256(w.current) + usd;
        w.current = uint48(c > MAX ? MAX : c);
    }

    /// @notice Moves `w` to the current hour. Returns the ring words to store (bit i of `dirty` set
    ///         when word i changed); the caller writes them.
    function roll(Window memory w, uint256[5] storage ring)
        internal
        view
        returns (uint256[5] memory words, uint256 dirty)
    {
        uint256 h = block.timestamp / BUCKET;
        uint256 last = w.hour;
        if (h == last) return (words, 0);
        uint256 gap = h - last;
        uint256 lastPos = last % RING;
        uint256 sum;
        if (w.prior == 0) {
            // The ring is all zero (prior is its exact sum): at most the last hour moves in.
            if (w.current != 0 && gap <= RING) {
                sum = w.current;
                words[lastPos / 5] = sum << ((lastPos % 5) * 48);
                dirty = 1 << (lastPos / 5);
            }
        } else {
            unchecked {
                for (uint256 i; i < 5; ++i) {
                    uint256 word = ring[i];
                    uint256 out;
                    for (uint256 k; k < 5 && i * 5 + k < RING; ++k) {
                        uint256 p = i * 5 + k;
                        uint256 v = (word >> (k * 48)) & MAX;
                        if (p == lastPos) {
                            v = gap <= RING ? w.current : 0; // hour `last` takes the slot of hour last-24
                        } else if (last + ((p + RING - lastPos) % RING) < h) {
                            v = 0; // position p held hour last-24+offset: out of the window at h
                        }
                        out |= v << (k * 48);
                        sum += v;
                    }
                    words[i] = out;
                    if (out != word) dirty |= 1 << i;
                }
            }
        }
        w.prior = uint48(sum > MAX ? MAX : sum);
        w.current = 0;
        w.hour = uint24(h);
    }

    /// @notice Total counted against the limit right now (rolled, not stored).
    function used(Window memory w, uint256[5] storage ring) internal view returns (uint256) {
        roll(w, ring);
        return uint256(w.prior) + w.current;
    }
}
