//! kiosk: a fast, privacy-friendly static-site generator for freelancers.
//!
//! Data flows one way: files → model ([`content`], with [`config`]) → markdown rendered
//! ([`markdown`]) → views for templates ([`views`], [`templates`]) → output ([`output`]).
//! [`site`] runs the stages in order; `serve` and `check` reuse the same pipeline. Leaf modules
//! every stage may use: [`text`] (escaping, lines, slugs), [`date`] (dates and the one clock),
//! [`locale`] (everything the site's language decides), [`money`], [`yaml`], [`error`].
//!
//! The library's API is what the binary, the tests and the fuzz targets use: [`cli::run`],
//! [`site::build`] with [`site::BuildOptions`], [`check::check`], [`serve::Workspace`], and the
//! pure entry points in [`fuzzing`].

pub mod check;
pub mod cli;
pub(crate) mod config;
pub(crate) mod content;
pub mod date;
pub mod error;
pub(crate) mod feeds;
pub mod fuzzing;
pub mod import;
pub(crate) mod locale;
pub(crate) mod markdown;
pub(crate) mod money;
pub(crate) mod output;
pub(crate) mod scaffold;
pub mod serve;
pub mod site;
pub(crate) mod templates;
pub(crate) mod text;
pub(crate) mod toml_data;
pub(crate) mod views;
pub(crate) mod yaml;

#[cfg(test)]
mod proptests;
