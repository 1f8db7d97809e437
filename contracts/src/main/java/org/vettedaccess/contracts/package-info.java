/**
 * The records two services exchange, one copy that both sides compile against (ADR 0007). A field renamed or retyped
 * on one side is a compile error on the other, not a silent null on the wire. Records only: no framework, no
 * annotations; the JSON is each record's component names, exactly as the contracts in docs/architecture.md say.
 */
package org.vettedaccess.contracts;
