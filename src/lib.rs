//! kiosk: a fast, privacy-friendly static-site generator for freelancers.
//!
//! Data flows one way: files → model ([`content`]) → rendered pages ([`markdown`],
//! [`templates`]) → output ([`output`]). [`site`] runs the stages in order.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod feeds;
pub mod markdown;
pub mod money;
pub mod output;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod templates;
pub mod yaml;
