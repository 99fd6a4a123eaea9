//! Passes over the parsed book: each takes the model, completes or checks one aspect of it, and
//! reports what it finds as diagnostics.

pub mod appendix;
pub mod assets;
pub mod headings;
pub mod ids;
pub mod limits;
pub mod links;
pub mod lint;
