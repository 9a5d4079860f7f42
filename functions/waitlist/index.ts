/** What the waitlist capability offers the others; everything else in this folder is its own. */
export { DynamoLifecycleStore } from './dynamo-lifecycle-store.ts';
export { reserveWaitlistPosition } from './dynamo-waitlist-position.ts';
export { type LifecycleStore } from './lifecycle-store.ts';
export { acceptOffer, cancelRegistration, decidePending, type LifecycleDeps } from './lifecycle.ts';
