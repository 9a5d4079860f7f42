/** What the identity capability offers the others; everything else in this folder is its own. */
export { manageUrl } from './links.ts';
export { tokenSigner } from './token-signer.ts';
export { TokenError, type TokenSigner } from './tokens.ts';
