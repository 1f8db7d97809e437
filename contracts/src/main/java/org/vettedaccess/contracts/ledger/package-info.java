/** usage-ledger's append API ({@code POST /api/v1/entries}), called by the gateway, kyc-service and access-policy. */
package org.vettedaccess.contracts.ledger;
