# Sourced by the bench scripts.
# shellcheck shell=bash

# schema_url URL SCHEMA: a postgresql:// URL whose sessions work in SCHEMA.
schema_url() {
  local sep='?'
  [[ "$1" == *\?* ]] && sep='&'
  echo "${1}${sep}options=-csearch_path%3D$2"
}
