package sluice

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name rules of the resource centre (dli-resources.md §1). They are the domain's, whichever face a
// resource arrives through; each returns an EINVALID *Error whose message says what is wrong.

// MaxResourceTags is the most tags one resource carries.
const MaxResourceTags = 20

// ValidateResourceName checks a resource name: at most 128 characters, extension included; letters,
// digits, "_", "!", "-" and "."; not starting with ".".
func ValidateResourceName(name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "The resource name is empty.")
	case utf8.RuneCountInString(name) > 128:
		return Errorf(EINVALID, "The resource name %q is longer than 128 characters.", name)
	case strings.HasPrefix(name, "."):
		return Errorf(EINVALID, "The resource name %q starts with a period.", name)
	case !onlyRunes(name, letterOrDigit, "_!-."):
		return Errorf(EINVALID, "The resource name %q may contain only letters, digits, _ ! - and periods.", name)
	}
	return nil
}

// ValidateGroupName checks a group name: 1 to 64 characters; letters, digits, ".", "_" and "-".
func ValidateGroupName(name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "The group name is empty.")
	case utf8.RuneCountInString(name) > 64:
		return Errorf(EINVALID, "The group name %q is longer than 64 characters.", name)
	case !onlyRunes(name, letterOrDigit, "._-"):
		return Errorf(EINVALID, "The group name %q may contain only letters, digits, periods, _ and -.", name)
	}
	return nil
}

// ValidateTags checks tags put on a resource: at most MaxResourceTags, keys unique; a key 1 to 128
// characters, a value up to 255, both of letters, digits, spaces and "_ . : + - @", without leading or
// trailing spaces; no key starting with "_sys_" (reserved for the system).
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxResourceTags {
		return Errorf(EINVALID, "%d tags given; a resource carries at most %d.", len(tags), MaxResourceTags)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > 128:
			return Errorf(EINVALID, "The tag key %q must be 1 to 128 characters.", t.Key)
		case strings.HasPrefix(t.Key, "_sys_"):
			return Errorf(EINVALID, "The tag key %q starts with _sys_, which is reserved.", t.Key)
		case !validTagText(t.Key):
			return Errorf(EINVALID, "The tag key %q may contain only letters, digits, spaces and _ . : + - @, and no leading or trailing space.", t.Key)
		case utf8.RuneCountInString(t.Value) > 255:
			return Errorf(EINVALID, "The value of tag %q is longer than 255 characters.", t.Key)
		case t.Value != "" && !validTagText(t.Value):
			return Errorf(EINVALID, "The value of tag %q may contain only letters, digits, spaces and _ . : + - @, and no leading or trailing space.", t.Key)
		case seen[t.Key]:
			return Errorf(EINVALID, "The tag key %q is given twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// ResourceNameFromSource is the name a resource uploaded from source gets: the last segment of the URL's
// decoded path (https://bkt.obs.example.com/dir/app.jar and obs://bkt/dir/app.jar both give app.jar),
// checked with ValidateResourceName.
func ResourceNameFromSource(source string) (string, error) {
	u, err := url.Parse(source)
	if err != nil || u.Scheme == "" {
		return "", Errorf(EINVALID, "The path %q is not a URL such as obs://bucket/dir/app.jar.", source)
	}
	p := u.Path
	if p == "" {
		p = u.Opaque
	}
	name := p[strings.LastIndex(p, "/")+1:]
	if name == "" {
		return "", Errorf(EINVALID, "The path %q does not end with a file name.", source)
	}
	if err := ValidateResourceName(name); err != nil {
		return "", Errorf(EINVALID, "The path %q names a file that cannot be a resource: %s", source, ErrorMessage(err))
	}
	return name, nil
}

func letterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func onlyRunes(s string, ok func(rune) bool, extra string) bool {
	for _, r := range s {
		if !ok(r) && !strings.ContainsRune(extra, r) {
			return false
		}
	}
	return true
}

func validTagText(s string) bool {
	return strings.TrimSpace(s) == s && onlyRunes(s, letterOrDigit, " _.:+-@")
}
