// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IBulwarkErrors} from "../interfaces/IBulwarkErrors.sol";
import {IGuardianVerifier} from "../interfaces/IGuardianVerifier.sol";
import {CodeStore} from "../libraries/CodeStore.sol";
import {PayloadLib} from "../libraries/PayloadLib.sol";

/// @title GuardianVerifier — VAA v1 verification embedded in each Bulwark contract
/// @notice Quorum floor(2n/3)+1, strictly ascending guardian indices, secp256k1 over
///         keccak256(keccak256(body)). Guardian sets live in code (CodeStore); the current one is
///         addressed from a single packed slot. Upgrades arrive as governance VAAs; the previous
///         set stays valid for `guardianSetOverlap` seconds.
/// @dev Storage `_gsIndex, _gsKeys, _gsCount` fill 200 bits of slot 0: inheriting contracts
///      declare their hot small flags (pause bits) next so they share that slot.
abstract contract GuardianVerifier is IGuardianVerifier, IBulwarkErrors {
    struct GuardianSet {
        address keys;
        uint8 count;
        uint64 expiry;
    }

    struct VerifierConfig {
        uint16 chainId;
        uint16 governanceChain;
        bytes32 governanceEmitter;
        uint32 guardianSetOverlap; // 0 = 86,400 s
        address[] guardians;
    }

    uint32 internal _gsIndex;
    address internal _gsKeys;
    uint8 internal _gsCount;

    mapping(uint32 => GuardianSet) internal _pastSets;
    mapping(bytes32 => bool) public governanceConsumed;

    uint16 public immutable chainId;
    uint16 public immutable governanceChain;
    bytes32 public immutable governanceEmitter;
    uint32 public immutable guardianSetOverlap;

    uint256 private constant SIG_LEN = 66;
    uint256 private constant BODY_FIXED = 51;

    constructor(VerifierConfig memory cfg) {
        if (cfg.chainId == 0) revert InvalidParameter();
        chainId = cfg.chainId;
        governanceChain = cfg.governanceChain;
        governanceEmitter = cfg.governanceEmitter;
        guardianSetOverlap = cfg.guardianSetOverlap == 0 ? 86_400 : cfg.guardianSetOverlap;
        (_gsKeys, _gsCount) = _storeKeys(cfg.guardians);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IGuardianVerifier
    function guardianSetIndex() external view returns (uint32) {
        return _gsIndex;
    }

    /// @inheritdoc IGuardianVerifier
    function getGuardianSet(uint32 index) external view returns (address[] memory keys, uint64 expiry) {
        GuardianSet memory gs = index == _gsIndex ? GuardianSet(_gsKeys, _gsCount, 0) : _pastSets[index];
        if (gs.keys == address(0)) revert GuardianSetUnknown();
        keys = new address[](gs.count);
        for (uint256 i; i < gs.count; ++i) {
            bytes memory one = new bytes(20);
            uint256 dest;
            assembly ("memory-safe") {
                dest := add(one, 32)
            }
            if (gs.count == 1) {
                keys[i] = gs.keys;
            } else {
                CodeStore.copyTo(gs.keys, i * 20, 20, dest);
                keys[i] = address(bytes20(one));
            }
        }
        expiry = gs.expiry;
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IGuardianVerifier
    function submitGuardianSetUpgrade(bytes calldata vaa) external virtual {
        VaaBody memory b = _parseAndVerify(vaa);
        if (b.guardianSetIndex != _gsIndex) revert InvalidGovernance();
        if (b.emitterChain != governanceChain || b.emitterAddress != governanceEmitter) revert InvalidGovernance();
        if (governanceConsumed[b.bodyHash]) revert VaaAlreadyConsumed();
        PayloadLib.GuardianSetUpgrade memory up = PayloadLib.decodeGuardianSetUpgrade(b.payload);
        if (up.targetChain != 0 && up.targetChain != chainId) revert WrongDestinationChain();
        if (up.newIndex != _gsIndex + 1) revert InvalidGovernance();

        governanceConsumed[b.bodyHash] = true;
        uint64 expiry = uint64(block.timestamp) + guardianSetOverlap;
        _pastSets[_gsIndex] = GuardianSet(_gsKeys, _gsCount, expiry);
        (address ptr, uint8 count) = _storeKeys(up.keys);
        (_gsIndex, _gsKeys, _gsCount) = (up.newIndex, ptr, count);
        emit GuardianSetUpgraded(up.newIndex, ptr, expiry);
    }

    function _storeKeys(address[] memory keys) private returns (address ptr, uint8 count) {
        uint256 n = keys.length;
        if (n == 0 || n > PayloadLib.MAX_KEYS) revert InvalidParameter();
        bytes memory packed;
        for (uint256 i; i < n; ++i) {
            if (keys[i] == address(0)) revert InvalidParameter();
            for (uint256 j; j < i; ++j) {
                if (keys[j] == keys[i]) revert InvalidParameter();
            }
            packed = bytes.concat(packed, bytes20(keys[i]));
        }
        // A single-key set is kept inline (the "pointer" is the key): no code read at all.
        ptr = n == 1 ? keys[0] : CodeStore.write(packed);
        count = uint8(n);
    }

    // ------------------------------------------------------------------ verification

    /// @notice Verifies signatures and quorum of `vaa`; returns where the body starts and keccak256(body).
    /// @dev The hot path: reads one packed slot (current set) or one mapping slot (older set),
    ///      copies the keys with EXTCODECOPY and runs the ecrecover loop in assembly.
    function _verify(bytes calldata vaa) internal view returns (uint256 bodyOffset, bytes32 bodyHash) {
        uint256 len = vaa.length;
        if (len == 0) revert TruncatedVaa();
        uint256 head;
        assembly ("memory-safe") {
            head := calldataload(vaa.offset)
        }
        if (head >> 248 != 1) revert InvalidVaaVersion();
        if (len < 6) revert TruncatedVaa();
        uint32 index = uint32(head >> 216);
        uint256 sigs = uint8(head >> 208);
        bodyOffset = 6 + sigs * SIG_LEN;
        if (len < bodyOffset + BODY_FIXED) revert TruncatedVaa();

        address keys = _gsKeys;
        uint256 n = _gsCount;
        if (index != _gsIndex) {
            GuardianSet memory past = _pastSets[index];
            if (past.keys == address(0)) revert GuardianSetUnknown();
            if (block.timestamp > past.expiry) revert GuardianSetExpired();
            (keys, n) = (past.keys, past.count);
        }
        if (sigs < (n * 2) / 3 + 1) revert QuorumNotMet();

        uint256 digest;
        assembly ("memory-safe") {
            let p := mload(0x40)
            let bodyLen := sub(len, bodyOffset)
            calldatacopy(p, add(vaa.offset, bodyOffset), bodyLen)
            bodyHash := keccak256(p, bodyLen)
            mstore(0x00, bodyHash)
            digest := keccak256(0x00, 32)
        }
        uint256 err = _checkSignatures(vaa, sigs, digest, keys, n);
        if (err != 0) {
            if (err == 1) revert SignaturesNotAscending();
            if (err == 2) revert GuardianIndexOutOfRange();
            revert InvalidSignature();
        }
    }

    /// @dev Signature loop: 0 = ok, 1 = not ascending, 2 = index out of range, 3 = bad signature.
    function _checkSignatures(bytes calldata vaa, uint256 sigs, uint256 digest, address keys, uint256 n)
        private
        view
        returns (uint256 err)
    {
        assembly ("memory-safe") {
            let p := mload(0x40) // ecrecover input at p .. p+0x80, guardian keys from p+0x80
            let k := add(p, 0x80)
            switch n
            case 1 { mstore(k, shl(96, keys)) }
            default { extcodecopy(keys, k, 1, mul(n, 20)) }
            mstore(p, digest)
            let last := 0
            for { let i := 0 } lt(i, sigs) { i := add(i, 1) } {
                let s := add(add(vaa.offset, 6), mul(i, 66))
                let gi := byte(0, calldataload(s))
                if and(gt(i, 0), iszero(gt(gi, last))) {
                    err := 1
                    break
                }
                if iszero(lt(gi, n)) {
                    err := 2
                    break
                }
                let v := byte(0, calldataload(add(s, 65)))
                if gt(v, 1) {
                    err := 3
                    break
                }
                mstore(add(p, 0x20), add(v, 27))
                calldatacopy(add(p, 0x40), add(s, 1), 64)
                mstore(0x00, 0)
                pop(staticcall(gas(), 1, p, 0x80, 0x00, 0x20))
                let signer := mload(0x00)
                if or(iszero(signer), iszero(eq(signer, shr(96, mload(add(k, mul(gi, 20))))))) {
                    err := 3
                    break
                }
                last := gi
            }
        }
    }

    /// @notice Verifies `vaa` and decodes its body (payload copied to memory).
    function _parseAndVerify(bytes calldata vaa) internal view returns (VaaBody memory b) {
        (uint256 o, bytes32 h) = _verify(vaa);
        b = _decodeBody(vaa, o);
        b.bodyHash = h;
    }

    function _decodeBody(bytes calldata vaa, uint256 o) internal pure returns (VaaBody memory b) {
        uint256 w0;
        uint256 w1;
        uint256 w2;
        assembly ("memory-safe") {
            w0 := calldataload(vaa.offset)
            w1 := calldataload(add(vaa.offset, o))
            w2 := calldataload(add(vaa.offset, add(o, 42)))
        }
        b.guardianSetIndex = uint32(w0 >> 216);
        b.timestamp = uint32(w1 >> 224);
        b.nonce = uint32(w1 >> 192);
        b.emitterChain = uint16(w1 >> 176);
        b.emitterAddress = bytes32(vaa[o + 10:o + 42]);
        b.sequence = uint64(w2 >> 192);
        b.consistencyLevel = uint8(w2 >> 184);
        b.payload = vaa[o + BODY_FIXED:];
    }
}
