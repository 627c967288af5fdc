//! Integer money math shared by every instruction (reproduces @bulwark/core exactly).
pub mod breaker;
pub mod fixed;
pub mod i256;
pub mod liquidation;
pub mod margin;
pub mod trade;
pub mod u256;
#[cfg(test)]
mod tests;
