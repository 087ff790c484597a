//! `kiosk new`: writes a starter site that builds at once: a small storefront (blog, one ebook
//! landing page with every block, the `legal:` block, a daily CI build for GitHub Pages), or
//! with `--minimal` a small blog.

use std::path::Path;

#[derive(rust_embed::Embed)]
#[folder = "src/starter/"]
struct Starter;

/// Creates a starter site in `dir`, which must not exist or be empty.
pub fn create(dir: &Path, minimal: bool) -> Result<(), String> {
    let prefix = if minimal { "minimal/" } else { "shop/" };
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(format!(
                "{} already exists and is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    for name in Starter::iter() {
        let Some(rel) = name.strip_prefix(prefix) else {
            continue;
        };
        let Some(file) = Starter::get(&name) else {
            continue;
        };
        let path = crate::output::join_inside(dir, rel).map_err(|e| e.to_string())?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.data)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
