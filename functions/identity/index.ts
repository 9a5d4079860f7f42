/** What the identity capability offers the others; everything else in this folder is its own. */
export { confirmUrl, feedUrl, manageUrl, signedFeedUrl, signedManageUrl, unsubscribeUrl } from './links.ts';
export { tokenSigner } from './token-signer.ts';
export { TokenError, type TokenPurpose, type TokenSigner } from './tokens.ts';
export { linkVerifier, type LinkVerifierDeps } from './verify-link.ts';
