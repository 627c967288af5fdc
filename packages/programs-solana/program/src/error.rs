//! The shared error names of docs/protocol.md §11. The Solana custom error code of each name is its
//! 1-based index in that table (`Overflow` = 1 ... `Unauthorized` = 44).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Error {
    Overflow = 1,
    Underflow = 2,
    DivisionByZero = 3,
    ZeroAmount = 4,
    InvalidAmount = 5,
    InvalidPrice = 6,
    InvalidParameter = 7,
    TruncatedPayload = 8,
    TrailingBytes = 9,
    UnknownPayloadType = 10,
    UnsupportedVersion = 11,
    NonCanonicalEncoding = 12,
    PayloadTooLarge = 13,
    InvalidVaaVersion = 14,
    TruncatedVaa = 15,
    GuardianSetUnknown = 16,
    GuardianSetExpired = 17,
    QuorumNotMet = 18,
    SignaturesNotAscending = 19,
    GuardianIndexOutOfRange = 20,
    InvalidSignature = 21,
    VaaAlreadyConsumed = 22,
    UnknownEmitter = 23,
    WrongDestinationChain = 24,
    InvalidGovernance = 25,
    StalePrice = 26,
    FuturePrice = 27,
    InsufficientSources = 28,
    PriceDivergence = 29,
    StaleUpdate = 30,
    UnknownMarket = 31,
    InsufficientCollateral = 32,
    InsufficientMargin = 33,
    AccountHealthy = 34,
    UnknownAsset = 35,
    UnknownAccount = 36,
    PositionNotFound = 37,
    MarketHalted = 38,
    OperationPaused = 39,
    GracePeriod = 40,
    CapExceeded = 41,
    TransferFailed = 42,
    Reentrancy = 43,
    Unauthorized = 44,
}

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// The custom program error code the runtime reports.
    pub const fn code(self) -> u32 {
        self as u32
    }

    pub const fn name(self) -> &'static str {
        match self {
            Error::Overflow => "Overflow",
            Error::Underflow => "Underflow",
            Error::DivisionByZero => "DivisionByZero",
            Error::ZeroAmount => "ZeroAmount",
            Error::InvalidAmount => "InvalidAmount",
            Error::InvalidPrice => "InvalidPrice",
            Error::InvalidParameter => "InvalidParameter",
            Error::TruncatedPayload => "TruncatedPayload",
            Error::TrailingBytes => "TrailingBytes",
            Error::UnknownPayloadType => "UnknownPayloadType",
            Error::UnsupportedVersion => "UnsupportedVersion",
            Error::NonCanonicalEncoding => "NonCanonicalEncoding",
            Error::PayloadTooLarge => "PayloadTooLarge",
            Error::InvalidVaaVersion => "InvalidVaaVersion",
            Error::TruncatedVaa => "TruncatedVaa",
            Error::GuardianSetUnknown => "GuardianSetUnknown",
            Error::GuardianSetExpired => "GuardianSetExpired",
            Error::QuorumNotMet => "QuorumNotMet",
            Error::SignaturesNotAscending => "SignaturesNotAscending",
            Error::GuardianIndexOutOfRange => "GuardianIndexOutOfRange",
            Error::InvalidSignature => "InvalidSignature",
            Error::VaaAlreadyConsumed => "VaaAlreadyConsumed",
            Error::UnknownEmitter => "UnknownEmitter",
            Error::WrongDestinationChain => "WrongDestinationChain",
            Error::InvalidGovernance => "InvalidGovernance",
            Error::StalePrice => "StalePrice",
            Error::FuturePrice => "FuturePrice",
            Error::InsufficientSources => "InsufficientSources",
            Error::PriceDivergence => "PriceDivergence",
            Error::StaleUpdate => "StaleUpdate",
            Error::UnknownMarket => "UnknownMarket",
            Error::InsufficientCollateral => "InsufficientCollateral",
            Error::InsufficientMargin => "InsufficientMargin",
            Error::AccountHealthy => "AccountHealthy",
            Error::UnknownAsset => "UnknownAsset",
            Error::UnknownAccount => "UnknownAccount",
            Error::PositionNotFound => "PositionNotFound",
            Error::MarketHalted => "MarketHalted",
            Error::OperationPaused => "OperationPaused",
            Error::GracePeriod => "GracePeriod",
            Error::CapExceeded => "CapExceeded",
            Error::TransferFailed => "TransferFailed",
            Error::Reentrancy => "Reentrancy",
            Error::Unauthorized => "Unauthorized",
        }
    }
}

/// Logs `what` (the field or account that was wrong) and returns `err`; use as `return Err(fail(..))`.
#[inline(never)]
pub fn fail(err: Error, what: &str) -> Error {
    crate::sys::log(what);
    err
}
