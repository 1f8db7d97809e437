/** access-policy's service API: decisions, entitlements and the change feed (gateway), KYC outcomes (kyc-service). */
package org.vettedaccess.contracts.policy;
