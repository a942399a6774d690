#!/usr/bin/env bash
# Refresh the zh-Hans catalogue: Qudao's own strings plus django-unfold's (unfold ships no Chinese),
# keeping existing translations, then compile. Needs GNU gettext (apt-get install gettext).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=qudao.config.settings QUDAO_TESTING=1
po="$root/src/qudao/locale/zh_Hans/LC_MESSAGES/django.po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$po" ] && cp "$po" "$tmp/previous.po"
cd "$root/src/qudao"
"$py" -m django makemessages -l zh_Hans --no-obsolete -v 0
"$py" -m django makemessages -l zh_Hans -d djangojs --no-obsolete -v 0 || true

# unfold's template and Python strings, extracted from the installed package
unfold_dir=$("$py" -c 'import os, unfold; print(os.path.dirname(unfold.__file__))')
mkdir -p "$tmp/scan"
ln -s "$unfold_dir" "$tmp/scan/unfold"
mkdir -p "$tmp/scan/locale"
(cd "$tmp/scan" && "$py" -m django makemessages -l zh_Hans --symlinks -v 0)
# add unfold's msgids that Qudao's catalogue does not have yet (ours win on conflicts)
msgcat --use-first "$po" "$tmp/scan/locale/zh_Hans/LC_MESSAGES/django.po" -o "$tmp/all.po"
# keep the translations made before (makemessages --no-obsolete dropped unfold's entries)
if [ -f "$tmp/previous.po" ]; then
  msgmerge --quiet --no-fuzzy-matching --no-wrap "$tmp/previous.po" "$tmp/all.po" -o "$tmp/merged.po"
  # entries translated in all.po but not in previous.po (new source strings already in Django's
  # own catalogue are not translated by makemessages, so this only keeps what msgmerge carried over)
  mv "$tmp/merged.po" "$po"
else
  mv "$tmp/all.po" "$po"
fi
# makemessages' own msgmerge guesses "fuzzy" translations from similar strings; they are usually wrong
# (e.g. "severity" matched to "currency"): drop the guesses so they show up as untranslated work.
"$py" "$root/scripts/drop_fuzzy.py" "$po"
"$py" -m django compilemessages -l zh_Hans -v 0
echo "untranslated: $(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid' || true)"
