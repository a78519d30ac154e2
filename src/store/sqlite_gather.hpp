#pragma once

// A SQLite VFS that writes a transaction's WAL frames together, in 64 KiB
// write() calls, instead of two calls per frame (issue 13: the store's
// writer made ~12 write() calls per pledge with 4 KiB pages, ~16 with
// 2 KiB, SQLite writing each frame's header and page apart; now ~2-3,
// the answer's included).
//
// It wraps the default VFS ("unix"). On a WAL file, writes that follow
// one another are kept in memory and written together before anything
// may depend on them being in the file: the WAL's sync (a commit under
// synchronous = FULL, which the store's connections use), a read, a
// truncation, its size asked, its closing, and any change of the shared
// memory's locks or barrier of its database (which is how a commit is
// made visible to other connections). So a frame reaches the file before
// its commit is durable or seen, as without the VFS; a process killed in
// between loses only a commit that nobody was told of.

#include <string>

namespace essor::store {

// The VFS's name, registered on first call (thread-safe): open a
// connection with the URI parameter vfs=<name> to use it.
const char* gathering_vfs();

// A SQLite URI that opens a file through the gathering VFS: file:PATH for
// a path (%, ? and # escaped), or a URI given (file:…) with the VFS's
// parameter added to its own.
std::string gathering_uri(const std::string& path);

}  // namespace essor::store
