/*
 * plist.h - a small reader of XML property lists for ioreg: the text the
 * kernel's OSSerialize writes (and Apple's tools), into a tree of values.
 *
 *	char err[128];
 *	struct plist *p = plist_parse(text, len, err, sizeof(err));
 *	if (p == NULL)
 *		complain with err ("line 3: <integer> without </integer>")
 *	plist_free(p);
 *
 * Accepted: an XML declaration, a DOCTYPE and comments before the root;
 * <plist> around one value, or the value alone; <dict> (<key> then a
 * value, repeated), <array>, <string>, <integer>, <real>, <date>, <data>
 * (base64), <true/>, <false/>, the empty forms <dict/>, <array/>,
 * <string/>; the entities &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN;
 * (below 128). Containers nest at most PLIST_MAX_DEPTH deep. Anything
 * else is an error with the line it was found on; nothing crashes on
 * malformed text.
 */

#ifndef IOREG_PLIST_H
#define IOREG_PLIST_H

#include <stddef.h>

#define PLIST_MAX_DEPTH	64

enum plist_type {
	PLIST_DICT, PLIST_ARRAY, PLIST_STRING, PLIST_INTEGER, PLIST_REAL,
	PLIST_DATE, PLIST_DATA, PLIST_TRUE, PLIST_FALSE,
};

struct plist {
	enum plist_type	type;
	char		*text;		/* string, integer, real, date: the text; data: bytes */
	size_t		len;		/* bytes in text */
	size_t		count;		/* dict, array: members */
	char		**keys;		/* dict: count keys */
	struct plist	**values;	/* dict, array: count values */
};

struct plist	*plist_parse(const char *text, size_t len, char *err, size_t errlen);
void		plist_free(struct plist *p);

#endif /* IOREG_PLIST_H */
