// Branded primitives: a value of a brand can be minted only by the module that owns it.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
