//! State survives a restart when a data dir is given: one JSON file, written atomically (a
//! temporary file renamed over the old one), so a crash mid-write never leaves half a state.

use std::path::{Path, PathBuf};

use super::State;

pub fn state_file(data_dir: &Path) -> PathBuf {
    data_dir.join("state.json")
}

/// The saved state, if there is one; an unreadable file is an error, not silently replaced.
pub fn load(data_dir: &Path) -> Result<Option<State>, String> {
    let path = state_file(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

pub fn save(data_dir: &Path, state: &State) -> std::io::Result<()> {
    let path = state_file(data_dir);
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    let bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_loads_back_the_same() {
        let dir = std::env::temp_dir().join(format!("emu-state-{}", crate::ids::random_token(6)));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(load(&dir).unwrap().is_none());
        let mut state = crate::store::demo::state(1_000);
        state.pools[0].count = 7;
        save(&dir, &state).unwrap();
        let back = load(&dir).unwrap().unwrap();
        assert_eq!(back.pools[0].count, 7);
        assert_eq!(back.runs.len(), state.runs.len());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left behind");
        std::fs::write(state_file(&dir), "{ broken").unwrap();
        assert!(load(&dir).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
