# Sourced by the other scripts: the tools scripts/setup installed, and quiet, offline Trunk.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_PROGRESS_WHEN=never
