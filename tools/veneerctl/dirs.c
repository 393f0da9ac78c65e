// SPDX-License-Identifier: MIT
/*
 * The directories veneerctl trusts: CTL_RUN_DIR, where monitors listen,
 * and CTL_LOG_DIR, where consoles are logged.  Whoever could write in
 * them could take a partition's control socket or point its log at any
 * file, so they must be real directories (not symbolic links) of
 * veneerctl's own user that no one else may write.
 */
#include "veneerctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p: missing parents get 0755, path itself mode. */
static int make_dirs(const char *path, mode_t mode)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strchr(dir + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return mkdir(dir, mode) && errno != EEXIST ? -1 : 0;
}

int ctl_trusted_dir(const char *path, mode_t mode, int create, char *err,
		    size_t err_size)
{
	struct stat st;

	if (create && make_dirs(path, mode))
		return ctl_fail(err, err_size, "creating %s: %s", path,
				strerror(errno));
	if (lstat(path, &st))
		return ctl_fail(err, err_size, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 0022) || (st.st_mode & 0777 & ~mode))
		return ctl_fail(err, err_size,
				"%s must be a directory of uid %u with mode "
				"%04o at most (it is %s, uid %u, mode %04o)",
				path, (unsigned)geteuid(), (unsigned)mode,
				S_ISLNK(st.st_mode)   ? "a symbolic link"
				: S_ISDIR(st.st_mode) ? "a directory"
						      : "not a directory",
				(unsigned)st.st_uid,
				(unsigned)(st.st_mode & 07777));
	return 0;
}
