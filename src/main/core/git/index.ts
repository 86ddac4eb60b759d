// The git layer of the core: repositories and worktrees over the git CLI.
export { GitRepoService, type RepoServiceDeps } from './repoService';
export { checkGit, MIN_GIT_VERSION, type GitInfo } from './checkGit';
export { DEFAULT_MAX_PATCH_BYTES } from './diff';
