// Generated from the API's OpenAPI document (/openapi.json) by scripts/gen-api-types.ts: do not edit.
// Regenerate with `npm run gen:api-types`; `npm run check:api-types` (and the test suite) fail when stale.
export interface paths {
  '/api/v1/auth/staff/sign-in': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Staff sign-in with username and password */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            username: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description send as `Authorization: Bearer <token>` (or rely on the cookie) */
              token: string;
              expiresAt: string;
              principal: components['schemas']['Principal'];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/borrower/code': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a one-time sign-in code (sent to the phone or e-mail on file)
     * @description Always answers 202 the same way, whether or not the borrower exists or a code was sent (at most one code per minute and five per hour per borrower).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            borrowerId?: string;
            /** @description the SMS number on file, e.g. +8613800000001 */
            phone?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {boolean} */
              accepted: true;
              expiresInSeconds: number;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/borrower/sign-in': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Borrower sign-in with the one-time code */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            borrowerId?: string;
            /** @description the SMS number on file, e.g. +8613800000001 */
            phone?: string;
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description send as `Authorization: Bearer <token>` (or rely on the cookie) */
              token: string;
              expiresAt: string;
              principal: components['schemas']['Principal'];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sign-out': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End this session */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who is signed in, and what they may do */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Principal'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Staff accounts */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                username: string;
                /** @enum {string} */
                role: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
                disabled: boolean;
                createdAt: string;
                updatedAt: string;
                /** @description the queue agent a collector or compliance officer is (null: the role works no queue) */
                agent?: {
                  team: string;
                  languages: string[];
                  buckets: string[];
                  capacity: number;
                  onShift: boolean;
                } | null;
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Create a staff account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            username: string;
            /** @enum {string} */
            role: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
            /** @description at least 10 characters */
            password: string;
            /** @description for a collector or compliance officer: the queue agent’s skills and capacity */
            agent?: {
              /** @description languages the agent works in (empty: any) */
              languages?: string[];
              /** @description delinquency buckets the agent takes (empty: any) */
              buckets?: string[];
              /** @description open cases held at once */
              capacity?: number;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              username: string;
              /** @enum {string} */
              role: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
              disabled: boolean;
              createdAt: string;
              updatedAt: string;
              /** @description the queue agent a collector or compliance officer is (null: the role works no queue) */
              agent?: {
                team: string;
                languages: string[];
                buckets: string[];
                capacity: number;
                onShift: boolean;
              } | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/{username}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a staff account's role, password or disabled flag (ends its sessions when disabled or re-keyed); 409 last_admin when no enabled admin would be left */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          username: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            role?: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
            password?: string;
            disabled?: boolean;
            agent?: {
              /** @description languages the agent works in (empty: any) */
              languages?: string[];
              /** @description delinquency buckets the agent takes (empty: any) */
              buckets?: string[];
              /** @description open cases held at once */
              capacity?: number;
              /** @description off shift: no new cases are handed to the agent */
              onShift?: boolean;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              username: string;
              /** @enum {string} */
              role: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
              disabled: boolean;
              createdAt: string;
              updatedAt: string;
              /** @description the queue agent a collector or compliance officer is (null: the role works no queue) */
              agent?: {
                team: string;
                languages: string[];
                buckets: string[];
                capacity: number;
                onShift: boolean;
              } | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Products: named loan terms and servicing rules */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Product'][];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/products/{productId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One product */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          productId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Product'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Create or replace a product */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          productId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /** @default {} */
            terms?: {
              /** @description decimal string in major units, e.g. "5000.00" */
              principal?: string;
              /** @description ISO 4217 code; default CNY */
              currency?: string;
              /** @description decimal fraction, e.g. "0.12" */
              annualRate?: string;
              termCount?: number;
              frequency?: {
                every?: number;
                /** @enum {string} */
                unit?: 'day' | 'week' | 'month';
              };
              /** @enum {string} */
              method?: 'equal_installment' | 'equal_principal' | 'interest_only' | 'bullet';
              /** @enum {string} */
              interestType?: 'declining' | 'flat';
              /** @enum {string} */
              interestBasis?: 'periodic' | 'daily';
              daysInYear?: 360 | 364 | 365 | 'actual';
              principalGraceTerms?: number;
              rounding?: {
                /** @enum {string} */
                mode?: 'half_up' | 'half_even' | 'up' | 'down';
                /** @description decimal string */
                installmentMultiple?: string;
                /** @enum {string} */
                interestMode?: 'half_up' | 'half_even' | 'up' | 'down';
              };
              fees?: (
                | {
                    /** @enum {string} */
                    kind: 'per_installment';
                    /** @description decimal string */
                    rate: string;
                    /** @enum {string} */
                    base?: 'principal';
                  }
                | {
                    /** @enum {string} */
                    kind: 'per_installment';
                    /** @description decimal string */
                    amount: string;
                  }
                | {
                    /** @enum {string} */
                    kind: 'upfront';
                    /** @description decimal string */
                    amount: string;
                  }
              )[];
              businessDay?: {
                /** @enum {string} */
                convention?: 'following' | 'modified_following' | 'preceding';
                calendar: string;
              };
            };
            /** @description servicing rules (docs/servicing.md) */
            rules?: {
              graceDays?: number;
              /** @description decimal string */
              penaltyAnnualRate?: string;
              /** @description penalty as a multiple of the contract rate, e.g. "1.5"; excludes penaltyAnnualRate */
              penaltyRateMultiple?: string;
              /** @enum {string} */
              penaltyBase?: 'overdue_principal' | 'overdue_principal_interest';
              /** @enum {string} */
              penaltyStart?: 'due_date' | 'retroactive' | 'grace_end';
              penaltyDaysInYear?: 360 | 365;
              allocation?: unknown;
              chargeOffDpd?: number;
              buckets?: unknown;
              /** @enum {string} */
              overpayment?: 'prepay_next' | 'credit_balance';
              /** @enum {string} */
              prepayment?: 'shorten_term' | 'lower_installment';
              dueSoonDays?: number;
              autoDebit?: unknown;
            };
            /** @description pricing policy: "cn-2026", "none", or {warnAprAbove, refuseAprAbove, lprLine}; default: by currency (docs/servicing.md, "Rate caps") */
            rateCaps?:
              | string
              | {
                  name?: string;
                  warnAprAbove?: string | null;
                  refuseAprAbove?: string | null;
                  lprLine?: {
                    lpr?: string;
                    multiple?: number;
                    /** @enum {string} */
                    level?: 'warning' | 'refusal';
                  } | null;
                };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Product'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Borrowers (personal data masked without pii:read; every read is audited) */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Borrower'][];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One borrower (a borrower may read only their own record) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Borrower'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Create a borrower or replace their name, zone, locale, contacts and identity */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            /** @description IANA zone, e.g. Asia/Shanghai */
            timezone: string;
            /**
             * @default zh-CN
             * @enum {string}
             */
            locale?: 'zh-CN' | 'en';
            /** @default {} */
            contacts?: {
              sms?: string;
              voice?: string;
              /** Format: email */
              email?: string;
              push?: string;
            };
            identity?: {
              /** @enum {string} */
              idType: 'national_id' | 'passport' | 'other';
              idNumber: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Borrower'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List loans (a borrower sees only their own) */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
          borrowerId?: string;
          status?: 'active' | 'overdue' | 'closed' | 'charged_off';
          bucket?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                loanId: string;
                borrowerId: string;
                productId: string | null;
                currency: string;
                status: string;
                dpd: number;
                bucket: string;
                nextEventDate: string | null;
                closedThrough: string | null;
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Open a loan (disburse it): its schedule, opening journal and state */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            loanId: string;
            borrowerId: string;
            productId?: string;
            /** @description LoanTerms (CONTRACTS.md); with productId, merged over the product's terms */
            terms: {
              /** @description decimal string in major units, e.g. "5000.00" */
              principal: string;
              /** @description ISO 4217 code; default CNY */
              currency?: string;
              /** @description decimal fraction, e.g. "0.12" */
              annualRate: string;
              termCount: number;
              frequency?: {
                every?: number;
                /** @enum {string} */
                unit?: 'day' | 'week' | 'month';
              };
              /** Format: date */
              startDate: string;
              /** Format: date */
              firstDueDate?: string;
              /** @enum {string} */
              method?: 'equal_installment' | 'equal_principal' | 'interest_only' | 'bullet';
              /** @enum {string} */
              interestType?: 'declining' | 'flat';
              /** @enum {string} */
              interestBasis?: 'periodic' | 'daily';
              daysInYear?: 360 | 364 | 365 | 'actual';
              principalGraceTerms?: number;
              rounding?: {
                /** @enum {string} */
                mode?: 'half_up' | 'half_even' | 'up' | 'down';
                /** @description decimal string */
                installmentMultiple?: string;
                /** @enum {string} */
                interestMode?: 'half_up' | 'half_even' | 'up' | 'down';
              };
              fees?: (
                | {
                    /** @enum {string} */
                    kind: 'per_installment';
                    /** @description decimal string */
                    rate: string;
                    /** @enum {string} */
                    base?: 'principal';
                  }
                | {
                    /** @enum {string} */
                    kind: 'per_installment';
                    /** @description decimal string */
                    amount: string;
                  }
                | {
                    /** @enum {string} */
                    kind: 'upfront';
                    /** @description decimal string */
                    amount: string;
                  }
              )[];
              businessDay?: {
                /** @enum {string} */
                convention?: 'following' | 'modified_following' | 'preceding';
                calendar: string;
              };
            };
            /** @description servicing rules; default: the product's, else the defaults */
            rules?: {
              graceDays?: number;
              /** @description decimal string */
              penaltyAnnualRate?: string;
              /** @description penalty as a multiple of the contract rate, e.g. "1.5"; excludes penaltyAnnualRate */
              penaltyRateMultiple?: string;
              /** @enum {string} */
              penaltyBase?: 'overdue_principal' | 'overdue_principal_interest';
              /** @enum {string} */
              penaltyStart?: 'due_date' | 'retroactive' | 'grace_end';
              penaltyDaysInYear?: 360 | 365;
              allocation?: unknown;
              chargeOffDpd?: number;
              buckets?: unknown;
              /** @enum {string} */
              overpayment?: 'prepay_next' | 'credit_balance';
              /** @enum {string} */
              prepayment?: 'shorten_term' | 'lower_installment';
              dueSoonDays?: number;
              autoDebit?: unknown;
            };
            /**
             * Format: date
             * @description default: terms.startDate
             */
            disbursedOn?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Loan'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A loan with its summary: DPD, bucket, overdue amount, next due */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Loan'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's installments with what is paid, waived and outstanding */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              loanId: string;
              currency: string;
              asOf: string;
              installments: {
                number: number;
                dueDate: string;
                /** @enum {string} */
                status: 'paid' | 'overdue' | 'due' | 'upcoming';
                principal: string;
                interest: string;
                fee: string;
                total: string;
                paid: string;
                waived: string;
                outstanding: string;
                penaltyAccrued: string;
                penaltyOutstanding: string;
                paidOn: string | null;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/transactions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's ledger: its transactions in order (opening, closes, payments, waivers, …) */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                seq: number;
                kind: string;
                businessDate: string;
                /** @description the transaction as recorded, amounts in major units */
                detail: {
                  [key: string]: unknown;
                };
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/journal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's double-entry journal, in business-date order */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                entryId: string;
                businessDate: string;
                kind: string;
                currency: string;
                postings: {
                  account: string;
                  /** @enum {string} */
                  side: 'debit' | 'credit';
                  amount: string;
                }[];
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's payments in the order received */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Payment'][];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Post a payment (idempotent by the Idempotency-Key header)
     * @description The same key with the same body returns the first answer again (header Idempotency-Replayed: true); the same key with a different body is refused with 409 idempotency_key_reused. Without `on`, the payment is dated today (or the loan's last closed date, if later); a replay keeps the first date. A borrower pays their own loan from their bound account through the payment provider (no `on`, source portal): posted only once the debit succeeded; a decline is 422 with the decline code (e.g. insufficient_funds); an unknown outcome is 503 payment_outcome_unknown — retry with the same key; no provider configured is 503 payments_unavailable.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 305.00 */
            amount: string;
            /** Format: date */
            on?: string;
            /**
             * @description default manual
             * @enum {string}
             */
            source?: 'manual' | 'portal' | 'agent' | 'bank_transfer' | 'import';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Payment'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/payoff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What pays the loan off on a date: penalty, fee and interest due, running interest, principal */
    get: {
      parameters: {
        query?: {
          /** @description default: today, or the loan's last closed date if later */
          asOf?: string;
        };
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              loanId: string;
              currency: string;
              asOf: string;
              total: string;
              penalty: string;
              fee: string;
              interest: string;
              principal: string;
              creditApplied: string;
              refund: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/calendar.ics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's unpaid due dates as an iCalendar (ICS) document */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description text/calendar */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/loans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A borrower's loans */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                loanId: string;
                borrowerId: string;
                productId: string | null;
                currency: string;
                status: string;
                dpd: number;
                bucket: string;
                nextEventDate: string | null;
                closedThrough: string | null;
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/eod-runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Daily-close runs, newest business date first */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                businessDate: string;
                /** @enum {string} */
                status: 'running' | 'completed' | 'failed';
                startedAt: string;
                finishedAt: string | null;
                stats: {
                  [key: string]: unknown;
                };
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Run the daily close for one business date (idempotent: a completed date does nothing)
     * @description Runs in this request, in one worker; for a large book use `kuan eod --workers N`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * Format: date
             * @description at most one day past the later of the last completed close and today (the lender’s zone), unless force
             */
            businessDate: string;
            /** @description close a date further ahead than that; needs eod:force (admin) */
            force?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              businessDate: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed';
              startedAt: string;
              finishedAt: string | null;
              stats: {
                [key: string]: unknown;
              };
              loansClosed: number;
              alreadyCompleted: boolean;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/eod-runs/{businessDate}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The daily-close run of one business date */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          businessDate: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              businessDate: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed';
              startedAt: string;
              finishedAt: string | null;
              stats: {
                [key: string]: unknown;
              };
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The contact strategies: the built-ins, with the active strategy (marked) in place of its name */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                name: string;
                version: number;
                /** @description SHA-256 of the canonical JSON */
                digest: string;
                /** @description the canonical strategy document */
                strategy: {
                  [key: string]: unknown;
                };
                /** @description the one the planning uses */
                active: boolean;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One strategy of the list: a built-in, or the active strategy of that name */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              name: string;
              version: number;
              /** @description SHA-256 of the canonical JSON */
              digest: string;
              /** @description the canonical strategy document */
              strategy: {
                [key: string]: unknown;
              };
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/validate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check a strategy (a name or overrides); 400 naming the first bad field, else its canonical form */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a built-in name, or an object of overrides on a built-in (`base`, `steps`, `addSteps`, …) */
            strategy:
              | string
              | {
                  name: string;
                  version: number;
                  description?: string;
                  segments?: {
                    name: string;
                    when: {
                      bucketIn?: string[];
                      balanceAtLeast?: string;
                      balanceBelow?: string;
                      cooperative?: boolean;
                      scoreAtLeast?: string;
                      scoreBelow?: string;
                    };
                  }[];
                  steps: {
                    id: string;
                    /** @enum {string} */
                    stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                    dayOffset: number;
                    /** @enum {string} */
                    anchor?: 'grace_end';
                    segment?: string | string[];
                    buckets?: string[];
                    /** @enum {string} */
                    channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                    template: string;
                    sendAt: string;
                    validDays?: number;
                    /** @enum {string} */
                    purpose?: 'reminder' | 'notice';
                    fallback?: {
                      /** @enum {string} */
                      channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                      template: string;
                      /** @enum {string} */
                      when: 'undelivered' | 'unanswered';
                    };
                  }[];
                  experiment?: {
                    name: string;
                    challengerPercent: number;
                    challenger: {
                      segments?: {
                        name: string;
                        when: {
                          bucketIn?: string[];
                          balanceAtLeast?: string;
                          balanceBelow?: string;
                          cooperative?: boolean;
                          scoreAtLeast?: string;
                          scoreBelow?: string;
                        };
                      }[];
                      steps: {
                        id: string;
                        /** @enum {string} */
                        stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                        dayOffset: number;
                        /** @enum {string} */
                        anchor?: 'grace_end';
                        segment?: string | string[];
                        buckets?: string[];
                        /** @enum {string} */
                        channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                        template: string;
                        sendAt: string;
                        validDays?: number;
                        /** @enum {string} */
                        purpose?: 'reminder' | 'notice';
                        fallback?: {
                          /** @enum {string} */
                          channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                          template: string;
                          /** @enum {string} */
                          when: 'undelivered' | 'unanswered';
                        };
                      }[];
                    };
                  };
                };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              name: string;
              version: number;
              /** @description SHA-256 of the canonical JSON */
              digest: string;
              /** @description the canonical strategy document */
              strategy: {
                [key: string]: unknown;
              };
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/diff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** What changes between two strategies (for approving a change) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a built-in name, or an object of overrides on a built-in (`base`, `steps`, `addSteps`, …) */
            from:
              | string
              | {
                  name: string;
                  version: number;
                  description?: string;
                  segments?: {
                    name: string;
                    when: {
                      bucketIn?: string[];
                      balanceAtLeast?: string;
                      balanceBelow?: string;
                      cooperative?: boolean;
                      scoreAtLeast?: string;
                      scoreBelow?: string;
                    };
                  }[];
                  steps: {
                    id: string;
                    /** @enum {string} */
                    stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                    dayOffset: number;
                    /** @enum {string} */
                    anchor?: 'grace_end';
                    segment?: string | string[];
                    buckets?: string[];
                    /** @enum {string} */
                    channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                    template: string;
                    sendAt: string;
                    validDays?: number;
                    /** @enum {string} */
                    purpose?: 'reminder' | 'notice';
                    fallback?: {
                      /** @enum {string} */
                      channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                      template: string;
                      /** @enum {string} */
                      when: 'undelivered' | 'unanswered';
                    };
                  }[];
                  experiment?: {
                    name: string;
                    challengerPercent: number;
                    challenger: {
                      segments?: {
                        name: string;
                        when: {
                          bucketIn?: string[];
                          balanceAtLeast?: string;
                          balanceBelow?: string;
                          cooperative?: boolean;
                          scoreAtLeast?: string;
                          scoreBelow?: string;
                        };
                      }[];
                      steps: {
                        id: string;
                        /** @enum {string} */
                        stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                        dayOffset: number;
                        /** @enum {string} */
                        anchor?: 'grace_end';
                        segment?: string | string[];
                        buckets?: string[];
                        /** @enum {string} */
                        channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                        template: string;
                        sendAt: string;
                        validDays?: number;
                        /** @enum {string} */
                        purpose?: 'reminder' | 'notice';
                        fallback?: {
                          /** @enum {string} */
                          channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                          template: string;
                          /** @enum {string} */
                          when: 'undelivered' | 'unanswered';
                        };
                      }[];
                    };
                  };
                };
            /** @description a built-in name, or an object of overrides on a built-in (`base`, `steps`, `addSteps`, …) */
            to:
              | string
              | {
                  name: string;
                  version: number;
                  description?: string;
                  segments?: {
                    name: string;
                    when: {
                      bucketIn?: string[];
                      balanceAtLeast?: string;
                      balanceBelow?: string;
                      cooperative?: boolean;
                      scoreAtLeast?: string;
                      scoreBelow?: string;
                    };
                  }[];
                  steps: {
                    id: string;
                    /** @enum {string} */
                    stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                    dayOffset: number;
                    /** @enum {string} */
                    anchor?: 'grace_end';
                    segment?: string | string[];
                    buckets?: string[];
                    /** @enum {string} */
                    channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                    template: string;
                    sendAt: string;
                    validDays?: number;
                    /** @enum {string} */
                    purpose?: 'reminder' | 'notice';
                    fallback?: {
                      /** @enum {string} */
                      channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                      template: string;
                      /** @enum {string} */
                      when: 'undelivered' | 'unanswered';
                    };
                  }[];
                  experiment?: {
                    name: string;
                    challengerPercent: number;
                    challenger: {
                      segments?: {
                        name: string;
                        when: {
                          bucketIn?: string[];
                          balanceAtLeast?: string;
                          balanceBelow?: string;
                          cooperative?: boolean;
                          scoreAtLeast?: string;
                          scoreBelow?: string;
                        };
                      }[];
                      steps: {
                        id: string;
                        /** @enum {string} */
                        stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                        dayOffset: number;
                        /** @enum {string} */
                        anchor?: 'grace_end';
                        segment?: string | string[];
                        buckets?: string[];
                        /** @enum {string} */
                        channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                        template: string;
                        sendAt: string;
                        validDays?: number;
                        /** @enum {string} */
                        purpose?: 'reminder' | 'notice';
                        fallback?: {
                          /** @enum {string} */
                          channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                          template: string;
                          /** @enum {string} */
                          when: 'undelivered' | 'unanswered';
                        };
                      }[];
                    };
                  };
                };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fromDigest: string;
              toDigest: string;
              changes: {
                kind: string;
                id?: string;
                arm?: string;
                fields: {
                  field: string;
                  from: unknown;
                  to: unknown;
                }[];
                text: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a strategy on the live book for N days (the simulator: planner and compliance gate, nobody paying): messages per day per channel and holds by rule, against the active strategy */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a built-in name, or an object of overrides on a built-in (`base`, `steps`, `addSteps`, …) */
            strategy:
              | string
              | {
                  name: string;
                  version: number;
                  description?: string;
                  segments?: {
                    name: string;
                    when: {
                      bucketIn?: string[];
                      balanceAtLeast?: string;
                      balanceBelow?: string;
                      cooperative?: boolean;
                      scoreAtLeast?: string;
                      scoreBelow?: string;
                    };
                  }[];
                  steps: {
                    id: string;
                    /** @enum {string} */
                    stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                    dayOffset: number;
                    /** @enum {string} */
                    anchor?: 'grace_end';
                    segment?: string | string[];
                    buckets?: string[];
                    /** @enum {string} */
                    channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                    template: string;
                    sendAt: string;
                    validDays?: number;
                    /** @enum {string} */
                    purpose?: 'reminder' | 'notice';
                    fallback?: {
                      /** @enum {string} */
                      channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                      template: string;
                      /** @enum {string} */
                      when: 'undelivered' | 'unanswered';
                    };
                  }[];
                  experiment?: {
                    name: string;
                    challengerPercent: number;
                    challenger: {
                      segments?: {
                        name: string;
                        when: {
                          bucketIn?: string[];
                          balanceAtLeast?: string;
                          balanceBelow?: string;
                          cooperative?: boolean;
                          scoreAtLeast?: string;
                          scoreBelow?: string;
                        };
                      }[];
                      steps: {
                        id: string;
                        /** @enum {string} */
                        stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                        dayOffset: number;
                        /** @enum {string} */
                        anchor?: 'grace_end';
                        segment?: string | string[];
                        buckets?: string[];
                        /** @enum {string} */
                        channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                        template: string;
                        sendAt: string;
                        validDays?: number;
                        /** @enum {string} */
                        purpose?: 'reminder' | 'notice';
                        fallback?: {
                          /** @enum {string} */
                          channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                          template: string;
                          /** @enum {string} */
                          when: 'undelivered' | 'unanswered';
                        };
                      }[];
                    };
                  };
                };
            /** @default 14 */
            days?: number;
            policy?:
              | string
              | {
                  [key: string]: unknown;
                };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              from: string;
              days: number;
              borrowers: number;
              perDay: {
                date: string;
                channel: string;
                sent: number;
              }[];
              suppressions: {
                reason: string;
                count: number;
              }[];
              totals: {
                sent: number;
                suppressed: number;
              };
              baseline?: {
                totals: {
                  sent: number;
                  suppressed: number;
                };
              };
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/active': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The strategy in force: the one the daily contact planning uses */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ActiveStrategy'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/activations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a strategy to become the active one; another member approves it (an approval, 201)
     * @description The document is validated (400 naming the field), stored with its digest and its diff against the active strategy. 409 `identical_to_active`, `already_pending`; 400 at `strategy.version` when that name and version already stand for another document.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description a built-in name, or the whole strategy document previewed */
            strategy:
              | string
              | {
                  name: string;
                  version: number;
                  description?: string;
                  segments?: {
                    name: string;
                    when: {
                      bucketIn?: string[];
                      balanceAtLeast?: string;
                      balanceBelow?: string;
                      cooperative?: boolean;
                      scoreAtLeast?: string;
                      scoreBelow?: string;
                    };
                  }[];
                  steps: {
                    id: string;
                    /** @enum {string} */
                    stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                    dayOffset: number;
                    /** @enum {string} */
                    anchor?: 'grace_end';
                    segment?: string | string[];
                    buckets?: string[];
                    /** @enum {string} */
                    channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                    template: string;
                    sendAt: string;
                    validDays?: number;
                    /** @enum {string} */
                    purpose?: 'reminder' | 'notice';
                    fallback?: {
                      /** @enum {string} */
                      channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                      template: string;
                      /** @enum {string} */
                      when: 'undelivered' | 'unanswered';
                    };
                  }[];
                  experiment?: {
                    name: string;
                    challengerPercent: number;
                    challenger: {
                      segments?: {
                        name: string;
                        when: {
                          bucketIn?: string[];
                          balanceAtLeast?: string;
                          balanceBelow?: string;
                          cooperative?: boolean;
                          scoreAtLeast?: string;
                          scoreBelow?: string;
                        };
                      }[];
                      steps: {
                        id: string;
                        /** @enum {string} */
                        stage: 'pre_due' | 'due' | 'grace' | 'delinquent' | 'hold' | 'promise' | 'hardship';
                        dayOffset: number;
                        /** @enum {string} */
                        anchor?: 'grace_end';
                        segment?: string | string[];
                        buckets?: string[];
                        /** @enum {string} */
                        channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                        template: string;
                        sendAt: string;
                        validDays?: number;
                        /** @enum {string} */
                        purpose?: 'reminder' | 'notice';
                        fallback?: {
                          /** @enum {string} */
                          channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
                          template: string;
                          /** @enum {string} */
                          when: 'undelivered' | 'unanswered';
                        };
                      }[];
                    };
                  };
                };
            comment?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Approval'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** LoanTerms → Schedule (the same JSON contract as `kuan schedule`) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      /** @description LoanTerms (CONTRACTS.md) */
      requestBody: {
        content: {
          'application/json': {
            /** @description decimal string in major units, e.g. "5000.00" */
            principal: string;
            /** @description ISO 4217 code; default CNY */
            currency?: string;
            /** @description decimal fraction, e.g. "0.12" */
            annualRate: string;
            termCount: number;
            frequency?: {
              every?: number;
              /** @enum {string} */
              unit?: 'day' | 'week' | 'month';
            };
            /** Format: date */
            startDate: string;
            /** Format: date */
            firstDueDate?: string;
            /** @enum {string} */
            method?: 'equal_installment' | 'equal_principal' | 'interest_only' | 'bullet';
            /** @enum {string} */
            interestType?: 'declining' | 'flat';
            /** @enum {string} */
            interestBasis?: 'periodic' | 'daily';
            daysInYear?: 360 | 364 | 365 | 'actual';
            principalGraceTerms?: number;
            rounding?: {
              /** @enum {string} */
              mode?: 'half_up' | 'half_even' | 'up' | 'down';
              /** @description decimal string */
              installmentMultiple?: string;
              /** @enum {string} */
              interestMode?: 'half_up' | 'half_even' | 'up' | 'down';
            };
            fees?: (
              | {
                  /** @enum {string} */
                  kind: 'per_installment';
                  /** @description decimal string */
                  rate: string;
                  /** @enum {string} */
                  base?: 'principal';
                }
              | {
                  /** @enum {string} */
                  kind: 'per_installment';
                  /** @description decimal string */
                  amount: string;
                }
              | {
                  /** @enum {string} */
                  kind: 'upfront';
                  /** @description decimal string */
                  amount: string;
                }
            )[];
            businessDay?: {
              /** @enum {string} */
              convention?: 'following' | 'modified_following' | 'preceding';
              calendar: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Schedule'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every contact planned for the borrower — sent, held back, deferred, failed — newest first
     * @description Staff only: a borrower sees the messages sent to them (GET /borrowers/{borrowerId}/messages), not the decisions that held others back.
     */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Contact'][];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/contacts/{contactId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One contact with every decision about it in order (planned, sent or held back, delivered) and why */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          contactId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contactId: string;
              channel: string;
              template: string;
              /** @description planned, deferred, sending, sent, suppressed or failed */
              status: string;
              loanIds: string[];
              businessDate: string;
              dueAt: string;
              sentAt: string | null;
              verificationCode: string | null;
              deliveryStatus: string | null;
              attempts: number;
              /** @description the latest decision's reasons */
              reasons: string[];
              /** @description masked without pii:read */
              address: string | null;
              decisions: {
                seq: number;
                /** @description plan, dispatch, delivery or receipt */
                phase: string;
                verdict: string;
                decidedAt: string;
                reasons: string[];
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every message sent to a borrower, newest first, with its verification code */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
        };
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Message'][];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/messages/{messageId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One message sent to a borrower */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          messageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              messageId: string;
              /** @description the verification code the message carried */
              code: string;
              channel: string;
              template: string;
              loanIds: string[];
              sentAt: string | null;
              deliveryStatus: string | null;
              status: string;
              /** @description masked without pii:read */
              address: string | null;
              /** @description the latest decision's reasons */
              reasons: string[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/verify/{code}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Is a message with this verification code genuine? (channel and date only, to anyone)
     * @description Anyone may ask; the answer says only whether the code is genuine, the channel and the UTC date. The message itself (`template`) is added only for its recipient, signed in as that borrower (`yours: true`). Any six letters and digits that are no code of ours — codes never use 0, 1, I, L or O — are `{ genuine: false }` with 200; only input that cannot be a code at all is 400.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          code: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              code: string;
              genuine: boolean;
              channel?: string;
              /** @description UTC date the message was sent */
              sentOn?: string;
              /** @description true when the signed-in borrower received this message */
              yours?: boolean;
              /** @description what the message was: only for its recipient */
              template?: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/contact-events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record a hold, a promise to pay, an opt-out, a hardship request (or its closing), a pause lifted or new addresses
     * @description Applied to the borrower’s contact state at once: every later send re-checks it. A borrower may record hold, promise_to_pay, opt_out and hardship_request about themself.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json':
            | {
                /** @enum {string} */
                type: 'hold';
                days: number;
                reason: string;
              }
            | {
                /** @enum {string} */
                type: 'promise_to_pay';
                /** @description the same id again replaces the promise; default: loan and date */
                promiseId?: string;
                loanId: string;
                /** @example 305.00 */
                amount: string;
                /** Format: date */
                date: string;
                /** @description the borrower asked to be reminded before the date; without it nothing is sent until the date passes */
                remindMe?: boolean;
              }
            | {
                /** @enum {string} */
                type: 'opt_out';
                /** @enum {string} */
                channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
              }
            | {
                /** @enum {string} */
                type: 'hardship_request';
                reason: string;
              }
            | {
                /** @enum {string} */
                type: 'pause_lifted';
                reason: string;
              }
            | {
                /** @enum {string} */
                type: 'hardship_closed';
                reason: string;
              }
            | {
                /** @enum {string} */
                type: 'contact_update';
                /** @description an address per channel; null removes it */
                contacts: {
                  [key: string]: string | null;
                };
              };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              optedOut: string | null;
              callTaskId: string | null;
              fallbackContactId: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/contact-preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The channels the borrower opted out of, their preferred channel, the language of their messages */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ContactPreferences'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    /**
     * Opt out of channels or back into them, choose the preferred channel and the language of messages
     * @description `optOuts` is the complete list: a channel left out of it is opted back into. Applied to the contact state at once, so every later send re-checks it. Addresses change through a contact_update event.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            optOuts: ('sms' | 'email' | 'push' | 'letter' | 'voice')[];
            preferredChannel?: ('sms' | 'email' | 'push' | 'letter' | 'voice') | null;
            /** @enum {string} */
            locale?: 'zh-CN' | 'en';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ContactPreferences'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit log, newest first (optionally about one borrower or by one staff member) */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
          borrowerId?: string;
          staff?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                seq: number;
                at: string;
                actorKind: string;
                actorId: string;
                action: string;
                resource: string;
                subjectBorrowerId: string | null;
                outcome: number;
                detail: {
                  [key: string]: unknown;
                };
                prevHash: string;
                hash: string;
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Walk the audit chain and recompute every hash */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              ok: boolean;
              rowsChecked: number;
              headSeq?: number;
              brokenSeq?: number;
              reason?: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/day-runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The lender’s day by business date (newest first), each with its stages in order */
    get: {
      parameters: {
        query?: {
          days?: number;
          /** @description only this business date */
          date?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                businessDate: string;
                /**
                 * @description completed when every stage is; failed when one is
                 * @enum {string}
                 */
                status: 'running' | 'completed' | 'failed';
                stages: {
                  /** @enum {string} */
                  stage: 'close' | 'plans' | 'cases' | 'complaints' | 'contacts' | 'dispatch' | 'events';
                  /** @enum {string} */
                  status: 'running' | 'completed' | 'failed';
                  attempts: number;
                  startedAt: string;
                  finishedAt: string | null;
                  counts: {
                    [key: string]: unknown;
                  };
                  error: string | null;
                }[];
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/overdue-reasons': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record why the borrower fell behind (hardship, emergency, poor planning, …), with evidence files
     * @description JSON `{category, text?}`, or multipart/form-data with a JSON field `reason` (`{category, text?}`) and up to 10 files as `evidence` (PDF, JPEG, PNG or HEIC, each at most 10 MB). The server takes each file's size, SHA-256 and type from its bytes (the type by its magic numbers; the file name must end as its type requires). Too many or too big: 413; a wrong type: 400; the problem names the field (`evidence[1]`) and the file, and nothing is stored.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            category:
              | 'income_loss'
              | 'illness_or_accident'
              | 'family_emergency'
              | 'business_failure'
              | 'over_borrowing'
              | 'dispute'
              | 'fraud_or_identity_theft'
              | 'disaster'
              | 'other';
            text?: string;
          } | null;
          'multipart/form-data': {
            /** @enum {string} */
            category:
              | 'income_loss'
              | 'illness_or_accident'
              | 'family_emergency'
              | 'business_failure'
              | 'over_borrowing'
              | 'dispute'
              | 'fraud_or_identity_theft'
              | 'disaster'
              | 'other';
            text?: string;
          } | null;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              reasonId: string;
              replayed: boolean;
              /** @description the files stored, as the server measured them */
              evidence?: {
                fileName: string;
                mediaType: string;
                sizeBytes: number;
                sha256: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loan's hardship plans: requested, refused, active, completed or broken */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                [key: string]: unknown;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Ask for a plan: deferral, re-installment, settlement, due-date change or re-age (an offer to decide) */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description {type: deferral, periods | days} · {type: re_installment, termCount, firstDueDate?} · {type: settlement, amount, deadline} · {type: due_date_change, dayOfMonth} · {type: re_age} */
            plan: {
              /** @enum {string} */
              type: 'deferral' | 're_installment' | 'settlement' | 'due_date_change' | 're_age';
            } & {
              [key: string]: unknown;
            };
            reasonId?: string;
            /** Format: date */
            on?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{planId}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a requested plan and apply it (within the approver role’s limits) */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          planId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{planId}/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The borrower accepts a self-service offer (one the policy lets a borrower take without approval) */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          planId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{planId}/refuse': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Turn a requested plan down, saying why */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          planId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/queue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The collection queue in order, each case with the priority formula’s terms (why this one first) */
    get: {
      parameters: {
        query?: {
          limit?: number;
          agentId?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                [key: string]: unknown;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/queue/next': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Claim the next case for the signed-in agent (their username is their agent id) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              case: {
                [key: string]: unknown;
              } | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cases/{borrowerId}/{caseId}/call-outcomes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record a call: its outcome and effects (a promise, a callback, a dispute, a note) */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          borrowerId: string;
          caseId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            outcome:
              | 'connected'
              | 'no_answer'
              | 'busy'
              | 'wrong_number'
              | 'third_party'
              | 'refused'
              | 'dispute'
              | 'promise'
              | 'callback';
            number?: string;
            loanIds?: string[];
            promise?: {
              loanId: string;
              /** @example 305.00 */
              amount: string;
              /** Format: date */
              date: string;
            };
            callback?: {
              /** Format: date */
              date: string;
              time: string;
            };
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/cases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The borrower's collection cases, newest first (at most one is open) */
    get: {
      parameters: {
        query?: {
          status?: 'open' | 'resolved';
        };
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                caseId: string;
                borrowerId: string;
                status: string;
                stage: string;
                loanIds: string[];
                dpd: number;
                bucket: string;
                priority: number;
                assignedAgentId: string | null;
                openedOn: string;
                resolvedOn: string | null;
                resolution: string | null;
                lastCallAt: string | null;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/notes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The borrower's notes (on cases, complaints and the borrower), oldest first */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
        };
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                noteId: number;
                caseId: string | null;
                complaintId: string | null;
                author: string;
                text: string;
                createdAt: string;
              }[];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Add a note about the borrower, on one of their cases when caseId is given */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            text: string;
            caseId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              noteId: number;
              caseId: string | null;
              complaintId: string | null;
              author: string;
              text: string;
              createdAt: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/promises': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Promises to pay, newest first: open, kept, partly kept or broken, and what was paid toward each */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                promiseId: string;
                loanId: string;
                amount: string;
                paid: string;
                date: string;
                status: string;
                takenBy: string;
                madeAt: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/holds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Collection holds (缓催), newest first, with their days in the borrower’s own time zone */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                fromDate: string;
                /** @description the last day of the hold */
                untilDate: string;
                from: string;
                until: string;
                reason: string;
                /** @enum {string} */
                status: 'scheduled' | 'active' | 'ended';
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/complaints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The borrower's complaints, newest first, with their status, deadline and resolution */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Complaint'][];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Open a complaint (about contact, fees, a dispute, privacy, …); it gets a deadline and an owner */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            category: 'contact_conduct' | 'fees' | 'dispute' | 'privacy' | 'other';
            text: string;
            loanId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              [key: string]: unknown;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/complaints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Complaints of every team by deadline (soonest first), of one status when asked
     * @description `breached=true`: only the complaints whose deadline passed while not closed, each alerted once by `kuan day` (stage alerts; outbox event complaint_breach to its team) at `breachAlertedAt`; `breached=false`: only the others.
     */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
          status?: 'open' | 'reviewed' | 'closed';
          breached?: 'true' | 'false';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Complaint'][];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/complaints/{complaintId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Review a complaint (lifting the pause of collection contact it held) or close it with a resolution
     * @description open → reviewed → closed. Reviewing lifts the complaint’s pause of collection contact (unless another open complaint holds one); closing needs a resolution, reviews first if nobody had, and offers the borrower a satisfaction survey. Asking for the status the complaint has already changes nothing; reviewing a closed complaint is 409.
     */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          complaintId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'reviewed' | 'closed';
            /** @description required to close; the review note when reviewing */
            resolution?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              complaintId: string;
              borrowerId: string;
              loanId: string | null;
              category: string;
              text: string;
              /** @enum {string} */
              status: 'open' | 'reviewed' | 'closed';
              source: string;
              createdAt: string;
              deadlineAt: string;
              reviewedAt: string | null;
              closedAt: string | null;
              resolution: string | null;
              caseId?: string | null;
              team?: string;
              assignedAgentId?: string | null;
              reviewedBy?: string | null;
              reviewNote?: string | null;
              closedBy?: string | null;
              /** @description when the deadline breach was alerted (the deadline passed while not closed); null if not */
              breachAlertedAt?: string | null;
              changed: boolean;
              liftedPause: boolean;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/surveys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Satisfaction surveys offered when a case ended or a complaint closed, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                surveyId: string;
                /**
                 * @description what ended: a collection case or a complaint
                 * @enum {string}
                 */
                subject: 'case' | 'complaint';
                subjectId: string;
                /** @enum {string} */
                status: 'pending' | 'answered';
                offeredAt: string;
                answeredAt: string | null;
                score: number | null;
                comment: string | null;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/borrowers/{borrowerId}/surveys/{surveyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The borrower answers a survey: a score 1–5 and a comment; once only (409 the second time) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          surveyId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            score: number;
            comment?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              surveyId: string;
              /** @enum {string} */
              status: 'answered';
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/approvals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Approval requests, newest first (the inbox: `status=pending`; the history: any status) */
    get: {
      parameters: {
        query?: {
          /** @description items per page, 1-200 */
          limit?: number;
          /** @description the nextCursor of the previous page */
          cursor?: string;
          status?: 'pending' | 'approved' | 'rejected' | 'superseded';
          kind?: 'strategy_activation' | 'payment_reversal';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['Approval'][];
              /** @description pass as `cursor` for the next page; null on the last page */
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/approvals/{approvalId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One approval request, with the exact document asked for */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          approvalId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Approval'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/approvals/{approvalId}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve a pending request and carry it out (a strategy becomes the active one; a payment is reversed)
     * @description Not one’s own request (403 `own_request`); only a pending one (409 `approval_not_pending`). Approving an activation supersedes every other pending activation. Approving a payment_reversal reverses the payment now (`reversal`); when the loan no longer allows it (e.g. already reversed) the refusal is 422 and the approval stays pending, to be rejected.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          approvalId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            comment?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              approvalId: string;
              /** @enum {string} */
              kind: 'strategy_activation' | 'payment_reversal';
              /** @enum {string} */
              status: 'pending' | 'approved' | 'rejected' | 'superseded';
              summary: string;
              requestedBy: string;
              requestedAt: string;
              /** @description the requester's comment */
              comment: string | null;
              decidedBy: string | null;
              decidedAt: string | null;
              decisionComment: string | null;
              /** @description the approved activation that made this one moot */
              supersededBy: string | null;
              detail: {
                /** @description a strategy_activation: the strategy asked for */
                strategy?: {
                  name: string;
                  version: number;
                };
                /** @description a payment_reversal: the reversal asked for, carried out when approved */
                reversal?: {
                  reversalId: string;
                  paymentId: string;
                  loanId: string;
                  borrowerId: string;
                  amount: string;
                  currency: string;
                  reason: string;
                  on: string;
                };
                /** @description SHA-256 of the canonical strategy document asked for */
                digest: string;
                /** @description the active strategy when it was asked */
                baseDigest: string | null;
                /** @description what changes against the active strategy of then */
                changes: {
                  kind: string;
                  id?: string;
                  arm?: string;
                  /** @description `from` or `to` is absent when the field is absent on that side */
                  fields: {
                    field: string;
                    from?: unknown;
                    to?: unknown;
                  }[];
                  text: string;
                }[];
                /** @description the exact strategy document (single approval only) */
                document?: {
                  [key: string]: unknown;
                };
              };
              superseded: string[];
              reversal?: components['schemas']['PaymentReversal'];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/approvals/{approvalId}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a pending request (not one’s own); nothing else changes */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          approvalId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            comment?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Approval'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/roll-rates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Roll rates between snapshot dates: of the loans in each bucket, the share one bucket worse or more
     * @description Month ends by default (the last `months` periods on or before asOf), or `from` and `to`. Definitions and a worked example: docs/reports.md.
     */
    get: {
      parameters: {
        query?: {
          /** @description one-month periods between consecutive month ends, the last ones on or before asOf (1-24) */
          months?: number;
          /** @description first snapshot date; with `to`, one period between two dates instead of month ends */
          from?: string;
          /** @description second snapshot date (after `from`) */
          to?: string;
          /** @description the last date the report looks at; default: the latest completed daily close, else today */
          asOf?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              asOf: string;
              /** @description the snapshot dates, oldest first */
              snapshots: string[];
              rows: {
                /** @description bucket at the first date */
                from: string;
                /** @description the next bucket of the ladder */
                to: string;
                /** @description share of the open loans in `from` at the first date that were in `to` or worse (or charged off) at the second; null when none were in `from` */
                rate: string | null;
                /** @description open loans in `from` at the first date */
                loans: number;
                /** @description of them, in `to` or worse, or charged off, at the second date */
                rolled: number;
                /** @description the same share by outstanding principal, per currency */
                balances: {
                  currency: string;
                  /** @description outstanding principal at the first date of the loans in the bucket */
                  balance: string;
                  /** @description the part of it on loans that rolled (roll rates) or cured (cure rates) */
                  movedBalance: string;
                  /** @description movedBalance / balance, four decimals; null when the balance is 0 */
                  rate: string | null;
                }[];
              }[];
              /** @description each period on its own; `rows` pools them (sums of loans over the periods) */
              periods: {
                startDate: string;
                endDate: string;
                rows: {
                  /** @description bucket at the first date */
                  from: string;
                  /** @description the next bucket of the ladder */
                  to: string;
                  /** @description share of the open loans in `from` at the first date that were in `to` or worse (or charged off) at the second; null when none were in `from` */
                  rate: string | null;
                  /** @description open loans in `from` at the first date */
                  loans: number;
                  /** @description of them, in `to` or worse, or charged off, at the second date */
                  rolled: number;
                  /** @description the same share by outstanding principal, per currency */
                  balances: {
                    currency: string;
                    /** @description outstanding principal at the first date of the loans in the bucket */
                    balance: string;
                    /** @description the part of it on loans that rolled (roll rates) or cured (cure rates) */
                    movedBalance: string;
                    /** @description movedBalance / balance, four decimals; null when the balance is 0 */
                    rate: string | null;
                  }[];
                }[];
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/cure-rates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Cure rates between snapshot dates: of the loans in each delinquent bucket, the share current again
     * @description The same snapshot dates as roll rates. Definitions and a worked example: docs/reports.md.
     */
    get: {
      parameters: {
        query?: {
          /** @description one-month periods between consecutive month ends, the last ones on or before asOf (1-24) */
          months?: number;
          /** @description first snapshot date; with `to`, one period between two dates instead of month ends */
          from?: string;
          /** @description second snapshot date (after `from`) */
          to?: string;
          /** @description the last date the report looks at; default: the latest completed daily close, else today */
          asOf?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              asOf: string;
              snapshots: string[];
              rows: {
                /** @description delinquent bucket at the first date */
                bucket: string;
                /** @description share of the open loans in `bucket` at the first date that were current (first bucket) or closed at the second */
                rate: string | null;
                loans: number;
                cured: number;
                balances: {
                  currency: string;
                  /** @description outstanding principal at the first date of the loans in the bucket */
                  balance: string;
                  /** @description the part of it on loans that rolled (roll rates) or cured (cure rates) */
                  movedBalance: string;
                  /** @description movedBalance / balance, four decimals; null when the balance is 0 */
                  rate: string | null;
                }[];
              }[];
              /** @description each period on its own; `rows` pools them (sums of loans over the periods) */
              periods: {
                startDate: string;
                endDate: string;
                rows: {
                  /** @description delinquent bucket at the first date */
                  bucket: string;
                  /** @description share of the open loans in `bucket` at the first date that were current (first bucket) or closed at the second */
                  rate: string | null;
                  loans: number;
                  cured: number;
                  balances: {
                    currency: string;
                    /** @description outstanding principal at the first date of the loans in the bucket */
                    balance: string;
                    /** @description the part of it on loans that rolled (roll rates) or cured (cure rates) */
                    movedBalance: string;
                    /** @description movedBalance / balance, four decimals; null when the balance is 0 */
                    rate: string | null;
                  }[];
                }[];
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/collections-curve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Collections curve: per cohort (month of delinquency), the amount recovered by each day since delinquency over the amount overdue then
     * @description Definitions and a worked example: docs/reports.md.
     */
    get: {
      parameters: {
        query?: {
          /** @description cohorts: the calendar months up to asOf's, this many (1-24) */
          months?: number;
          /** @description the last day since delinquency to report (0-720) */
          maxDays?: number;
          /** @description days between points (1-90) */
          step?: number;
          /** @description the last date the report looks at; default: the latest completed daily close, else today */
          asOf?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              asOf: string;
              days: number[];
              rows: {
                /** @description YYYY-MM: the month the loans became delinquent */
                cohort: string;
                currency: string;
                /** @description days since delinquency */
                day: number;
                /** @description delinquency episodes in the cohort */
                loans: number;
                /** @description overdue (with penalty owed) when they became delinquent */
                overdue: string;
                /** @description payments posted after delinquency through this day, net of reversals */
                recovered: string;
                /** @description recovered / overdue, four decimals */
                recoveredRate: string | null;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/promises': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Promise-kept rate overall, per agent who took the promise and per segment (the loan’s bucket) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              made: number;
              kept: number;
              partlyKept: number;
              broken: number;
              open: number;
              keptRate: string | null;
              byAgent: {
                made: number;
                kept: number;
                partlyKept: number;
                broken: number;
                open: number;
                keptRate: string | null;
                agent: string;
              }[];
              bySegment: {
                made: number;
                kept: number;
                partlyKept: number;
                broken: number;
                open: number;
                keptRate: string | null;
                segment: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/contacts-by-channel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Contacts decided so far, by channel and status (sent or held back by the compliance gate) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              rows: {
                channel: string;
                status: string;
                count: number;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/suppressions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Contacts the compliance gate held back, by the rule that stopped them */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              rows: {
                reason: string;
                count: number;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/book': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The book by currency, delinquency bucket and status */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              rows: {
                currency: string;
                bucket: string;
                status: string;
                loans: number;
                averageDpd: string;
              }[];
              totals: {
                loans: number;
              };
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/refunds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Refund a loan's credit balance to the borrower (idempotent by the Idempotency-Key header)
     * @description Pays back part or all of the credit balance (closed loans included): journal debit borrower credit, credit cash. More than the credit balance is refused (422 refund_exceeds_credit_balance, field `amount`). The same key with the same body returns the first answer again (header Idempotency-Replayed: true); with a different body 409 idempotency_key_reused. Without `on`, the refund is dated today (or the loan's last closed date, if later), and a retry replays the first.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example 305.00 */
            amount: string;
            /** Format: date */
            on?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Refund'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/payments/{paymentId}/reversals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Reverse a posted payment with a reason (idempotent by the Idempotency-Key header)
     * @description The loan is replayed without the payment: its DPD, bucket and penalty become what they would have been, as of the reversal date (a reversal re-opens delinquency; `before` and `after` show it). Journal: one balanced entry for the difference (kind payment_reversal); the payment is listed as `reversed`. Above the server's threshold (KUAN_REVERSAL_APPROVAL_ABOVE_MINOR) the reversal is not applied: 202 with status pending_approval and the approval to decide (POST /approvals/{approvalId}/approve by another member applies it). Refused (422): payment_already_reversed, reversal_pending_approval, reversal_before_payment (field on), reversal_breaks_later_transactions. The same key with the same body returns the first answer again (header Idempotency-Replayed: true); with a different body 409 idempotency_key_reused.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          paymentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description why: returned_nsf (returned unpaid: insufficient funds, closed account), wrong_loan (posted to the wrong loan), duplicate (posted twice), fraud_chargeback (disputed by the payer), operator_error (keyed wrongly)
             * @enum {string}
             */
            reason: 'returned_nsf' | 'wrong_loan' | 'duplicate' | 'fraud_chargeback' | 'operator_error';
            /** Format: date */
            on?: string;
            /** @description true: answer what would happen, write nothing */
            dryRun?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PaymentReversal'];
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PaymentReversal'];
          };
        };
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PaymentReversal'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/refunds/{refundId}/reversals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Reverse a refund whose money came back (idempotent by the Idempotency-Key header)
     * @description The credit balance becomes what it would have been without the refund; journal: one balanced entry for the difference (kind refund_reversal). Refused (422): refund_already_reversed, reversal_before_refund (field on), reversal_breaks_later_transactions; an unknown refund of the loan is 404. The same key with the same body returns the first answer again (header Idempotency-Replayed: true); with a different body 409 idempotency_key_reused.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
          refundId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description why: returned_nsf (returned unpaid: insufficient funds, closed account), wrong_loan (posted to the wrong loan), duplicate (posted twice), fraud_chargeback (disputed by the payer), operator_error (keyed wrongly)
             * @enum {string}
             */
            reason: 'returned_nsf' | 'wrong_loan' | 'duplicate' | 'fraud_chargeback' | 'operator_error';
            /** Format: date */
            on?: string;
            /** @description true: answer what would happen, write nothing */
            dryRun?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RefundReversal'];
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RefundReversal'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/payments/unapplied': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Portal payments debited from a borrower and not applied to the loan: owed back or refunded */
    get: {
      parameters: {
        query?: {
          /** @description only these; default both */
          status?: 'refund_due' | 'refunded';
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['UnappliedPayment'][];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/payments/reconcile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Finish portal payments left open by a crash or a lost provider answer (post or refund)
     * @description Presents each open portal debit again under its own key (never debiting twice), posts it or refunds it, and retries refunds still due. Idempotent.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description only reservations untouched this long (default 300) */
            olderThanSeconds?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ReconcileSummary'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cases/{borrowerId}/{caseId}/escalations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The case's escalations in order, each with its reasons and the lawyer's letter it sent */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          caseId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: components['schemas']['EscalationRecord'][];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Escalate a case to a later stage, sending the lawyer’s letter when that stage has one
     * @description The signed-in agent (their username is their agent id) moves their case (or an unassigned one) to `toStage`; a supervisor or admin moves any open case. Refused (422, nothing written) unless the stage is later on the ladder, the borrower’s DPD and the notices sent meet its conditions (`dpd_below_stage`, `notices_missing`), contact is not paused for a complaint or dispute (`contact_paused`), no hardship request is open and no promise to pay is still to come (`promise_open`). A stage with a lawyer’s letter renders it as a PDF to the borrower’s own postal address (refused without one or when the compliance gate would not send a letter now, field `letter`), records it as a sent message with a verification code and stores the PDF (GET …/escalations/{seq}/letter). `dryRun: true` answers the decision, the letter’s text and `wouldWrite`, and writes nothing. The same Idempotency-Key with the same body answers the first answer again (header Idempotency-Replayed: true); with another body 409 idempotency_key_reused.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          borrowerId: string;
          caseId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            toStage: string;
            dryRun?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Escalation'];
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Escalation'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cases/{borrowerId}/{caseId}/escalations/{seq}/letter': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The lawyer's letter an escalation sent, as the PDF that was sent (application/pdf) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          borrowerId: string;
          caseId: string;
          seq: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description application/pdf */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/loans/{loanId}/status-notices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Tell the borrower something about their loan is delayed, and when it is expected
     * @description Queues a status notice (template status_delayed, purpose notice: holds and pauses do not stop it, the compliance gate still decides when) for the contact pipeline to send. `eta` is an instant after now and at most 90 days away. The same Idempotency-Key with the same body answers the first answer (header Idempotency-Replayed: true); with another body 409 idempotency_key_reused.
     */
    post: {
      parameters: {
        query?: never;
        header: {
          'idempotency-key': string;
        };
        path: {
          loanId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            kind: 'disbursement' | 'refund' | 'payment_posting';
            /**
             * @description the amount delayed, in the loan’s currency
             * @example 305.00
             */
            amount: string;
            /** Format: date-time */
            eta: string;
            /** @description the refund, payment or disbursement it is about */
            reference: string;
            /** @enum {string} */
            channel: 'sms' | 'email' | 'push' | 'letter' | 'voice';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['StatusNotice'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/strategies/{name}/results': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Champion/challenger: how the strategy's arms did over business dates from … through
     * @description Contacts the strategy planned on those business dates that were decided (sent or suppressed), per arm, and how many borrowers paid (a posted payment on one of the contact’s loans, value date from the contact’s business date through windowDays after). An outcome counts only once its window has closed (business date + windowDays ≤ the last completed close). At most 366 days.
     */
    get: {
      parameters: {
        query: {
          from: string;
          through: string;
          windowDays?: number;
        };
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ExperimentResults'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/sms/receipts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A delivery receipt from the sms webhook provider
     * @description Signed with the provider’s Standard Webhooks secret (webhook-id, webhook-timestamp, webhook-signature). Body: {"id","messageId"?,"status":"delivered"|"failed"|"undelivered"|"read","at":ISO-8601,"code"?}. Sets the message’s delivery status; undelivered or failed plans the strategy’s fallback. A repeat changes nothing.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookReceiptAnswer'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/push/receipts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A delivery receipt from the push webhook provider
     * @description Signed with the provider’s Standard Webhooks secret (webhook-id, webhook-timestamp, webhook-signature). Body: {"id","messageId"?,"status":"delivered"|"failed"|"undelivered"|"read","at":ISO-8601,"code"?}. Sets the message’s delivery status; undelivered or failed plans the strategy’s fallback. A repeat changes nothing.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookReceiptAnswer'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/sms/replies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A borrower’s SMS reply, from the SMS webhook provider
     * @description Signed with the provider’s Standard Webhooks secret. Body: {"id","from","text","at":ISO-8601}. Every borrower whose SMS address is `from` gets the reply; a revocation word (STOP, 退订, … — every pack’s words) opts them out of SMS, with ALL / 全部 out of every channel but letters.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookReplyAnswer'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/twilio/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A Twilio status callback (delivery receipt)
     * @description Form fields MessageSid, MessageStatus, ErrorCode, signed by X-Twilio-Signature. Kuan sends this URL as StatusCallback with `?messageId=`; progress statuses (queued, sent, …) are acknowledged and ignored.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['WebhookReceiptAnswer'];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/twilio/inbound': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A Twilio incoming message (a borrower’s reply)
     * @description Form fields MessageSid, From, Body, signed by X-Twilio-Signature; the number’s messaging webhook. Answers empty TwiML: Kuan sends no message back of its own.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process answers (no database call): for a liveness probe */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'live';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether this process can work: database, migrations, scheduler heartbeat, last completed day, circuits (503 when not ready) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * @description ready when every required check passes
               * @enum {string}
               */
              status: 'ready' | 'not_ready';
              checks: {
                /** @description database, migrations, scheduler, day, or circuit.<channel> / circuit.payment_provider */
                name: string;
                ok: boolean;
                /** @description a failed required check makes the process not ready */
                required: boolean;
                /** @description the state found, for a person (no addresses or credentials) */
                detail: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * @description ready when every required check passes
               * @enum {string}
               */
              status: 'ready' | 'not_ready';
              checks: {
                /** @description database, migrations, scheduler, day, or circuit.<channel> / circuit.payment_provider */
                name: string;
                ok: boolean;
                /** @description a failed required check makes the process not ready */
                required: boolean;
                /** @description the state found, for a person (no addresses or credentials) */
                detail: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics (text exposition format): from 127.0.0.1 only, or with the Bearer token KUAN_METRICS_TOKEN when set */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description RFC 9457 problem details */
    ProblemInput: {
      type: string;
      title: string;
      status: number;
      detail: string;
      instance?: string;
      field?: string;
      code?: string;
    };
    ScheduleInput: {
      installments: {
        number: number;
        dueDate: string;
        principal: string;
        interest: string;
        fee: string;
        total: string;
        balance: string;
      }[];
      totals: {
        principal: string;
        interest: string;
        fee: string;
        total: string;
      };
      apr: string;
      aprEffective?: string;
      currency?: string;
      netDisbursed?: string;
    };
    RateCapInput: {
      /** @enum {string} */
      level: 'ok' | 'warning' | 'refused';
      /** @description the pricing policy evaluated, e.g. "cn-2026" */
      policy: string;
      /** @description the contract's APR by the IRR method, fees included */
      apr: string;
      /** @description the binding line crossed (decimal fraction, "0.24"); null when ok */
      line: string | null;
      reasons: {
        /** @enum {string} */
        code: 'apr_above_warning_line' | 'apr_above_refusal_line' | 'apr_above_lpr_line';
        /** @enum {string} */
        level: 'warning' | 'refusal';
        line: string;
        message: string;
      }[];
    };
    LoanInput: {
      loanId: string;
      borrowerId: string;
      productId: string | null;
      currency: string;
      /** @enum {string} */
      status: 'active' | 'overdue' | 'closed' | 'charged_off';
      disbursedOn: string;
      closedThrough: string;
      nextEventDate: string | null;
      chargedOffOn: string | null;
      closedOn: string | null;
      terms: {
        principal: string;
        annualRate: string;
        termCount: number;
        method: string;
        frequency: {
          every: number;
          unit: string;
        };
        startDate: string;
        /** @description every fee of the contract: an amount, or a rate of the principal per installment */
        fees: {
          /** @enum {string} */
          kind: 'upfront' | 'per_installment';
          amount?: string;
          rate?: string;
          /** @constant */
          base?: 'principal';
        }[];
      };
      summary: {
        asOf: string;
        dpd: number;
        delinquent: boolean;
        inGrace: boolean;
        bucket: string;
        /** @description principal, interest and fee of installments past their due date */
        overdue: string;
        penalty: string;
        penaltyInGrace: string;
        creditBalance: string;
        consecutiveOverdueCount: number;
        cumulativeOverdueCount: number;
      };
      outstanding: {
        principal: string;
        interest: string;
        fee: string;
        penalty: string;
        total: string;
      };
      /** @description the first unpaid installment not yet past due */
      nextDue: {
        number: number;
        dueDate: string;
        amount: string;
      } | null;
      /** @description present while the loan is charged off: nothing accrues, there is no next due date */
      chargedOff?: {
        /** @description the date the loan was charged off; penalty interest stopped that day */
        on: string;
        /** @description what the borrower still owes: all principal, interest and fee due by the charge-off, penalty charged until then */
        owed: {
          principal: string;
          interest: string;
          fee: string;
          penalty: string;
          total: string;
        };
        /** @description paid since the charge-off */
        recovered: string;
        /** @description how a payment is applied (docs/decisions/0003): principal first, each oldest first */
        paymentOrder: ('principal' | 'interest' | 'fee' | 'penalty')[];
      };
      graceDays: number;
      /** @description the contract's annual percentage rate by the IRR method, fees included (CONTRACTS.md) */
      apr: string;
      /** @description where the contract's APR stands against the product's pricing policy (docs/servicing.md, "Rate caps") */
      rateCap?: components['schemas']['RateCapInput'];
      /** @description penalty interest per year on overdue amounts (0 when none); with penaltyRateMultiple, that multiple of the contract rate */
      penaltyAnnualRate: string;
      /** @description present when the penalty is a multiple of the contract rate (e.g. "1.5": 罚息 = 合同利率 × 1.5) */
      penaltyRateMultiple?: string;
    };
    PaymentInput: {
      paymentId: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      source: string;
      /** @description posted, or reversed (taken back: see `reversal`) */
      status: string;
      allocation: {
        penalty: string;
        fee: string;
        interest: string;
        principal: string;
        credit: string;
      };
      /**
       * @description present: paid on a charged-off loan (a recovery)
       * @constant
       */
      recovery?: true;
      /** @description present when the payment was reversed (POST /payments/{paymentId}/reversals) */
      reversal?: {
        reversalId: string;
        reason: string | null;
        on: string;
      };
    };
    PaymentReversalInput: {
      /**
       * @description pending_approval: above the threshold, carried out when approval `approvalId` is approved
       * @enum {string}
       */
      status: 'reversed' | 'pending_approval';
      reversalId: string;
      paymentId: string;
      loanId: string;
      borrowerId: string;
      currency: string;
      /** @description the payment's amount */
      amount: string;
      /**
       * @description why: returned_nsf (returned unpaid: insufficient funds, closed account), wrong_loan (posted to the wrong loan), duplicate (posted twice), fraud_chargeback (disputed by the payer), operator_error (keyed wrongly)
       * @enum {string}
       */
      reason: 'returned_nsf' | 'wrong_loan' | 'duplicate' | 'fraud_chargeback' | 'operator_error';
      on: string;
      /** @description the payment was a recovery on a charged-off loan */
      recovery: boolean;
      approvalId: string | null;
      /** @description the loan before */
      before: {
        status: string;
        dpd: number;
        bucket: string;
        /** @description penalty outstanding */
        penalty: string;
        /** @description everything outstanding */
        outstanding: string;
      };
      /** @description the loan after (pending: if approved now) — a reversal re-opens delinquency */
      after: {
        status: string;
        dpd: number;
        bucket: string;
        /** @description penalty outstanding */
        penalty: string;
        /** @description everything outstanding */
        outstanding: string;
      };
      /** @description true: computed, nothing written */
      dryRun?: boolean;
    };
    RefundReversalInput: {
      reversalId: string;
      refundId: string;
      loanId: string;
      on: string;
      /** @description the credit balance after the reversal */
      creditBalance: string;
      /** @description true: computed, nothing written */
      dryRun?: boolean;
    };
    ApprovalInput: {
      approvalId: string;
      /** @enum {string} */
      kind: 'strategy_activation' | 'payment_reversal';
      /** @enum {string} */
      status: 'pending' | 'approved' | 'rejected' | 'superseded';
      summary: string;
      requestedBy: string;
      requestedAt: string;
      /** @description the requester's comment */
      comment: string | null;
      decidedBy: string | null;
      decidedAt: string | null;
      decisionComment: string | null;
      /** @description the approved activation that made this one moot */
      supersededBy: string | null;
      detail: {
        /** @description a strategy_activation: the strategy asked for */
        strategy?: {
          name: string;
          version: number;
        };
        /** @description a payment_reversal: the reversal asked for, carried out when approved */
        reversal?: {
          reversalId: string;
          paymentId: string;
          loanId: string;
          borrowerId: string;
          amount: string;
          currency: string;
          reason: string;
          on: string;
        };
        /** @description SHA-256 of the canonical strategy document asked for */
        digest: string;
        /** @description the active strategy when it was asked */
        baseDigest: string | null;
        /** @description what changes against the active strategy of then */
        changes: {
          kind: string;
          id?: string;
          arm?: string;
          /** @description `from` or `to` is absent when the field is absent on that side */
          fields: {
            field: string;
            from?: unknown;
            to?: unknown;
          }[];
          text: string;
        }[];
        /** @description the exact strategy document (single approval only) */
        document?: {
          [key: string]: unknown;
        };
      };
    };
    PrincipalInput: {
      /** @enum {string} */
      kind: 'staff' | 'borrower';
      username?: string;
      /** @enum {string} */
      role?: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
      borrowerId?: string;
      permissions: (
        | 'products:read'
        | 'products:write'
        | 'borrowers:read'
        | 'borrowers:write'
        | 'pii:read'
        | 'loans:read'
        | 'loans:write'
        | 'payments:read'
        | 'payments:write'
        | 'payments:reverse'
        | 'messages:read'
        | 'contacts:write'
        | 'plans:request'
        | 'plans:approve'
        | 'cases:work'
        | 'complaints:write'
        | 'complaints:review'
        | 'eod:read'
        | 'eod:run'
        | 'eod:force'
        | 'strategies:read'
        | 'strategies:write'
        | 'approvals:decide'
        | 'schedules:compute'
        | 'reports:read'
        | 'audit:read'
        | 'staff:read'
        | 'staff:write'
      )[];
      expiresAt?: string;
    };
    BorrowerInput: {
      borrowerId: string;
      name: string;
      timezone: string;
      locale: string;
      contacts: {
        [key: string]: unknown;
      };
      identity: {
        idType: string;
        idNumber: string;
      } | null;
      /** @description true when contacts and identity are masked (no pii:read) */
      masked: boolean;
      createdAt: string;
    };
    ComplaintInput: {
      complaintId: string;
      borrowerId: string;
      loanId: string | null;
      category: string;
      text: string;
      /** @enum {string} */
      status: 'open' | 'reviewed' | 'closed';
      source: string;
      createdAt: string;
      deadlineAt: string;
      reviewedAt: string | null;
      closedAt: string | null;
      resolution: string | null;
      caseId?: string | null;
      team?: string;
      assignedAgentId?: string | null;
      reviewedBy?: string | null;
      reviewNote?: string | null;
      closedBy?: string | null;
      /** @description when the deadline breach was alerted (the deadline passed while not closed); null if not */
      breachAlertedAt?: string | null;
    };
    ContactInput: {
      contactId: string;
      channel: string;
      template: string;
      /** @description planned, deferred, sending, sent, suppressed or failed */
      status: string;
      loanIds: string[];
      businessDate: string;
      dueAt: string;
      sentAt: string | null;
      verificationCode: string | null;
      deliveryStatus: string | null;
      attempts: number;
      /** @description the latest decision's reasons */
      reasons: string[];
    };
    ContactPreferencesInput: {
      optOuts: string[];
      preferredChannel: string | null;
      locale: string;
      /** @description by channel; masked without pii:read */
      addresses: {
        [key: string]: string;
      };
      masked: boolean;
    };
    MessageInput: {
      messageId: string;
      /** @description the verification code the message carried */
      code: string;
      channel: string;
      template: string;
      loanIds: string[];
      sentAt: string | null;
      deliveryStatus: string | null;
    };
    EscalationInput: {
      /** @enum {string} */
      outcome: 'escalated' | 'dry_run';
      fromStage: string;
      toStage: string;
      /** @description every condition met (DPD, notices sent and when) */
      reasons: string[];
      /** @description the escalation's number on the case; null for a dry run */
      seq: number | null;
      letter: {
        /** @description the letter as a sent contact (in the borrower’s messages, verifiable by its code) */
        contactId: string;
        /** @description the borrower’s own postal address; masked without pii:read */
        address: string;
        /** @description the verification code printed on the letter */
        code: string;
        /** @description size of the PDF */
        bytes: number;
        subject: string;
      } | null;
      /** @description dry run: the letter as it would print */
      preview: {
        locale: string;
        sender: {
          name: string;
          address: string;
        };
        recipientAddress: string;
        dateText: string;
        subject: string;
        body: string;
        /** @description a placeholder: the code is assigned when the letter is sent */
        verificationCode: string;
      } | null;
      /** @description dry run: what a real run would write; nothing was */
      wouldWrite?: {
        caseStage: string;
        escalation: {
          fromStage: string;
          toStage: string;
          reasons: string[];
        };
        letter: {
          contactId: string;
          address: string;
        } | null;
      };
      /** @description the first answer under this Idempotency-Key, answered again */
      replayed: boolean;
    };
    EscalationRecordInput: {
      seq: number;
      fromStage: string;
      toStage: string;
      agentId: string;
      escalatedAt: string;
      reasons: string[];
      letter: {
        contactId: string;
        address: string;
        code: string;
        bytes: number;
      } | null;
    };
    ExperimentResultsInput: {
      strategy: string;
      from: string;
      through: string;
      windowDays: number;
      /** @description the last completed close */
      knownThrough: string | null;
      champion: {
        /** @enum {string} */
        arm: 'champion' | 'challenger';
        /** @description contacts decided (sent or suppressed) */
        intents: number;
        sent: number;
        suppressed: number;
        /** @description sent / intents, 4 decimals */
        sentRate: string | null;
        /** @description intents whose payment window has closed */
        outcomesKnown: number;
        paid: number;
        /** @description paid / outcomesKnown, 4 decimals */
        paidRate: string | null;
      };
      challenger: {
        /** @enum {string} */
        arm: 'champion' | 'challenger';
        /** @description contacts decided (sent or suppressed) */
        intents: number;
        sent: number;
        suppressed: number;
        /** @description sent / intents, 4 decimals */
        sentRate: string | null;
        /** @description intents whose payment window has closed */
        outcomesKnown: number;
        paid: number;
        /** @description paid / outcomesKnown, 4 decimals */
        paidRate: string | null;
      };
      /** @description challenger paidRate − champion paidRate, 4 decimals */
      paidRateLift: string | null;
    };
    StatusNoticeInput: {
      /** @description the planned contact; its decisions show in the contact timeline */
      contactId: string;
      /** @description false: the same notice (kind, reference, channel) was queued before */
      queued: boolean;
      /** @description as the message will print them */
      variables: {
        what: string;
        eta: string;
      };
      replayed: boolean;
    };
    UnappliedPaymentInput: {
      /** @description the payment key as stored (namespaced by the borrower) */
      paymentKey: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      /** @enum {string} */
      status: 'refund_due' | 'refunded';
      /** @description the provider's reference of the debit */
      providerRef: string | null;
      /** @description the provider's reference of the refund, once made */
      refundRef: string | null;
      /** @description why the loan could not take it, or why the refund failed */
      reason: string | null;
      updatedAt: string;
    };
    ReconcileSummaryInput: {
      examined: number;
      posted: number;
      released: number;
      refunded: number;
      refundQueued: number;
      unknown: number;
    };
    ProductInput: {
      productId: string;
      name: string;
      /** @description LoanTerms fields every loan of the product starts from */
      terms: {
        [key: string]: unknown;
      };
      /** @description servicing rules */
      rules: {
        [key: string]: unknown;
      };
      /** @description the pricing policy as saved ("cn-2026", "none" or its lines); absent: the default for the currency (docs/servicing.md, "Rate caps") */
      rateCaps?: unknown;
      /** @description where the product's APR stands against its policy; absent when its terms do not price a loan yet */
      rateCap?: components['schemas']['RateCapInput'];
      createdAt: string;
    };
    RefundInput: {
      refundId: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      /** @description the credit balance left after the refund */
      creditBalance: string;
    };
    ActiveStrategyInput: {
      name: string;
      version: number;
      digest: string;
      /** @description the canonical strategy document */
      strategy: {
        [key: string]: unknown;
      };
      /**
       * @description `builtin`: nothing was ever activated, the default applies
       * @enum {string}
       */
      source: 'activated' | 'builtin';
      approvalId: string | null;
      activatedAt: string | null;
      activatedBy: string | null;
      approvedBy: string | null;
    };
    WebhookReceiptAnswerInput: {
      /** @description the contact the receipt is about; null when no sent message has its id */
      contactId: string | null;
      /** @description false when the receipt repeats the status already recorded */
      changed: boolean;
    };
    WebhookReplyAnswerInput: {
      /** @description borrowers whose SMS address sent the reply */
      borrowers: number;
      /** @description of them, those the reply opted out */
      optedOut: number;
    };
    /** @description RFC 9457 problem details */
    Problem: {
      type: string;
      title: string;
      status: number;
      detail: string;
      instance?: string;
      field?: string;
      code?: string;
    };
    Schedule: {
      installments: {
        number: number;
        dueDate: string;
        principal: string;
        interest: string;
        fee: string;
        total: string;
        balance: string;
      }[];
      totals: {
        principal: string;
        interest: string;
        fee: string;
        total: string;
      };
      apr: string;
      aprEffective?: string;
      currency?: string;
      netDisbursed?: string;
    };
    RateCap: {
      /** @enum {string} */
      level: 'ok' | 'warning' | 'refused';
      /** @description the pricing policy evaluated, e.g. "cn-2026" */
      policy: string;
      /** @description the contract's APR by the IRR method, fees included */
      apr: string;
      /** @description the binding line crossed (decimal fraction, "0.24"); null when ok */
      line: string | null;
      reasons: {
        /** @enum {string} */
        code: 'apr_above_warning_line' | 'apr_above_refusal_line' | 'apr_above_lpr_line';
        /** @enum {string} */
        level: 'warning' | 'refusal';
        line: string;
        message: string;
      }[];
    };
    Loan: {
      loanId: string;
      borrowerId: string;
      productId: string | null;
      currency: string;
      /** @enum {string} */
      status: 'active' | 'overdue' | 'closed' | 'charged_off';
      disbursedOn: string;
      closedThrough: string;
      nextEventDate: string | null;
      chargedOffOn: string | null;
      closedOn: string | null;
      terms: {
        principal: string;
        annualRate: string;
        termCount: number;
        method: string;
        frequency: {
          every: number;
          unit: string;
        };
        startDate: string;
        /** @description every fee of the contract: an amount, or a rate of the principal per installment */
        fees: {
          /** @enum {string} */
          kind: 'upfront' | 'per_installment';
          amount?: string;
          rate?: string;
          /** @constant */
          base?: 'principal';
        }[];
      };
      summary: {
        asOf: string;
        dpd: number;
        delinquent: boolean;
        inGrace: boolean;
        bucket: string;
        /** @description principal, interest and fee of installments past their due date */
        overdue: string;
        penalty: string;
        penaltyInGrace: string;
        creditBalance: string;
        consecutiveOverdueCount: number;
        cumulativeOverdueCount: number;
      };
      outstanding: {
        principal: string;
        interest: string;
        fee: string;
        penalty: string;
        total: string;
      };
      /** @description the first unpaid installment not yet past due */
      nextDue: {
        number: number;
        dueDate: string;
        amount: string;
      } | null;
      /** @description present while the loan is charged off: nothing accrues, there is no next due date */
      chargedOff?: {
        /** @description the date the loan was charged off; penalty interest stopped that day */
        on: string;
        /** @description what the borrower still owes: all principal, interest and fee due by the charge-off, penalty charged until then */
        owed: {
          principal: string;
          interest: string;
          fee: string;
          penalty: string;
          total: string;
        };
        /** @description paid since the charge-off */
        recovered: string;
        /** @description how a payment is applied (docs/decisions/0003): principal first, each oldest first */
        paymentOrder: ('principal' | 'interest' | 'fee' | 'penalty')[];
      };
      graceDays: number;
      /** @description the contract's annual percentage rate by the IRR method, fees included (CONTRACTS.md) */
      apr: string;
      /** @description where the contract's APR stands against the product's pricing policy (docs/servicing.md, "Rate caps") */
      rateCap?: components['schemas']['RateCap'];
      /** @description penalty interest per year on overdue amounts (0 when none); with penaltyRateMultiple, that multiple of the contract rate */
      penaltyAnnualRate: string;
      /** @description present when the penalty is a multiple of the contract rate (e.g. "1.5": 罚息 = 合同利率 × 1.5) */
      penaltyRateMultiple?: string;
    };
    Payment: {
      paymentId: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      source: string;
      /** @description posted, or reversed (taken back: see `reversal`) */
      status: string;
      allocation: {
        penalty: string;
        fee: string;
        interest: string;
        principal: string;
        credit: string;
      };
      /**
       * @description present: paid on a charged-off loan (a recovery)
       * @constant
       */
      recovery?: true;
      /** @description present when the payment was reversed (POST /payments/{paymentId}/reversals) */
      reversal?: {
        reversalId: string;
        reason: string | null;
        on: string;
      };
    };
    PaymentReversal: {
      /**
       * @description pending_approval: above the threshold, carried out when approval `approvalId` is approved
       * @enum {string}
       */
      status: 'reversed' | 'pending_approval';
      reversalId: string;
      paymentId: string;
      loanId: string;
      borrowerId: string;
      currency: string;
      /** @description the payment's amount */
      amount: string;
      /**
       * @description why: returned_nsf (returned unpaid: insufficient funds, closed account), wrong_loan (posted to the wrong loan), duplicate (posted twice), fraud_chargeback (disputed by the payer), operator_error (keyed wrongly)
       * @enum {string}
       */
      reason: 'returned_nsf' | 'wrong_loan' | 'duplicate' | 'fraud_chargeback' | 'operator_error';
      on: string;
      /** @description the payment was a recovery on a charged-off loan */
      recovery: boolean;
      approvalId: string | null;
      /** @description the loan before */
      before: {
        status: string;
        dpd: number;
        bucket: string;
        /** @description penalty outstanding */
        penalty: string;
        /** @description everything outstanding */
        outstanding: string;
      };
      /** @description the loan after (pending: if approved now) — a reversal re-opens delinquency */
      after: {
        status: string;
        dpd: number;
        bucket: string;
        /** @description penalty outstanding */
        penalty: string;
        /** @description everything outstanding */
        outstanding: string;
      };
      /** @description true: computed, nothing written */
      dryRun?: boolean;
    };
    RefundReversal: {
      reversalId: string;
      refundId: string;
      loanId: string;
      on: string;
      /** @description the credit balance after the reversal */
      creditBalance: string;
      /** @description true: computed, nothing written */
      dryRun?: boolean;
    };
    Approval: {
      approvalId: string;
      /** @enum {string} */
      kind: 'strategy_activation' | 'payment_reversal';
      /** @enum {string} */
      status: 'pending' | 'approved' | 'rejected' | 'superseded';
      summary: string;
      requestedBy: string;
      requestedAt: string;
      /** @description the requester's comment */
      comment: string | null;
      decidedBy: string | null;
      decidedAt: string | null;
      decisionComment: string | null;
      /** @description the approved activation that made this one moot */
      supersededBy: string | null;
      detail: {
        /** @description a strategy_activation: the strategy asked for */
        strategy?: {
          name: string;
          version: number;
        };
        /** @description a payment_reversal: the reversal asked for, carried out when approved */
        reversal?: {
          reversalId: string;
          paymentId: string;
          loanId: string;
          borrowerId: string;
          amount: string;
          currency: string;
          reason: string;
          on: string;
        };
        /** @description SHA-256 of the canonical strategy document asked for */
        digest: string;
        /** @description the active strategy when it was asked */
        baseDigest: string | null;
        /** @description what changes against the active strategy of then */
        changes: {
          kind: string;
          id?: string;
          arm?: string;
          /** @description `from` or `to` is absent when the field is absent on that side */
          fields: {
            field: string;
            from?: unknown;
            to?: unknown;
          }[];
          text: string;
        }[];
        /** @description the exact strategy document (single approval only) */
        document?: {
          [key: string]: unknown;
        };
      };
    };
    Principal: {
      /** @enum {string} */
      kind: 'staff' | 'borrower';
      username?: string;
      /** @enum {string} */
      role?: 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
      borrowerId?: string;
      permissions: (
        | 'products:read'
        | 'products:write'
        | 'borrowers:read'
        | 'borrowers:write'
        | 'pii:read'
        | 'loans:read'
        | 'loans:write'
        | 'payments:read'
        | 'payments:write'
        | 'payments:reverse'
        | 'messages:read'
        | 'contacts:write'
        | 'plans:request'
        | 'plans:approve'
        | 'cases:work'
        | 'complaints:write'
        | 'complaints:review'
        | 'eod:read'
        | 'eod:run'
        | 'eod:force'
        | 'strategies:read'
        | 'strategies:write'
        | 'approvals:decide'
        | 'schedules:compute'
        | 'reports:read'
        | 'audit:read'
        | 'staff:read'
        | 'staff:write'
      )[];
      expiresAt?: string;
    };
    Borrower: {
      borrowerId: string;
      name: string;
      timezone: string;
      locale: string;
      contacts: {
        [key: string]: unknown;
      };
      identity: {
        idType: string;
        idNumber: string;
      } | null;
      /** @description true when contacts and identity are masked (no pii:read) */
      masked: boolean;
      createdAt: string;
    };
    Complaint: {
      complaintId: string;
      borrowerId: string;
      loanId: string | null;
      category: string;
      text: string;
      /** @enum {string} */
      status: 'open' | 'reviewed' | 'closed';
      source: string;
      createdAt: string;
      deadlineAt: string;
      reviewedAt: string | null;
      closedAt: string | null;
      resolution: string | null;
      caseId?: string | null;
      team?: string;
      assignedAgentId?: string | null;
      reviewedBy?: string | null;
      reviewNote?: string | null;
      closedBy?: string | null;
      /** @description when the deadline breach was alerted (the deadline passed while not closed); null if not */
      breachAlertedAt?: string | null;
    };
    Contact: {
      contactId: string;
      channel: string;
      template: string;
      /** @description planned, deferred, sending, sent, suppressed or failed */
      status: string;
      loanIds: string[];
      businessDate: string;
      dueAt: string;
      sentAt: string | null;
      verificationCode: string | null;
      deliveryStatus: string | null;
      attempts: number;
      /** @description the latest decision's reasons */
      reasons: string[];
    };
    ContactPreferences: {
      optOuts: string[];
      preferredChannel: string | null;
      locale: string;
      /** @description by channel; masked without pii:read */
      addresses: {
        [key: string]: string;
      };
      masked: boolean;
    };
    Message: {
      messageId: string;
      /** @description the verification code the message carried */
      code: string;
      channel: string;
      template: string;
      loanIds: string[];
      sentAt: string | null;
      deliveryStatus: string | null;
    };
    Escalation: {
      /** @enum {string} */
      outcome: 'escalated' | 'dry_run';
      fromStage: string;
      toStage: string;
      /** @description every condition met (DPD, notices sent and when) */
      reasons: string[];
      /** @description the escalation's number on the case; null for a dry run */
      seq: number | null;
      letter: {
        /** @description the letter as a sent contact (in the borrower’s messages, verifiable by its code) */
        contactId: string;
        /** @description the borrower’s own postal address; masked without pii:read */
        address: string;
        /** @description the verification code printed on the letter */
        code: string;
        /** @description size of the PDF */
        bytes: number;
        subject: string;
      } | null;
      /** @description dry run: the letter as it would print */
      preview: {
        locale: string;
        sender: {
          name: string;
          address: string;
        };
        recipientAddress: string;
        dateText: string;
        subject: string;
        body: string;
        /** @description a placeholder: the code is assigned when the letter is sent */
        verificationCode: string;
      } | null;
      /** @description dry run: what a real run would write; nothing was */
      wouldWrite?: {
        caseStage: string;
        escalation: {
          fromStage: string;
          toStage: string;
          reasons: string[];
        };
        letter: {
          contactId: string;
          address: string;
        } | null;
      };
      /** @description the first answer under this Idempotency-Key, answered again */
      replayed: boolean;
    };
    EscalationRecord: {
      seq: number;
      fromStage: string;
      toStage: string;
      agentId: string;
      escalatedAt: string;
      reasons: string[];
      letter: {
        contactId: string;
        address: string;
        code: string;
        bytes: number;
      } | null;
    };
    ExperimentResults: {
      strategy: string;
      from: string;
      through: string;
      windowDays: number;
      /** @description the last completed close */
      knownThrough: string | null;
      champion: {
        /** @enum {string} */
        arm: 'champion' | 'challenger';
        /** @description contacts decided (sent or suppressed) */
        intents: number;
        sent: number;
        suppressed: number;
        /** @description sent / intents, 4 decimals */
        sentRate: string | null;
        /** @description intents whose payment window has closed */
        outcomesKnown: number;
        paid: number;
        /** @description paid / outcomesKnown, 4 decimals */
        paidRate: string | null;
      };
      challenger: {
        /** @enum {string} */
        arm: 'champion' | 'challenger';
        /** @description contacts decided (sent or suppressed) */
        intents: number;
        sent: number;
        suppressed: number;
        /** @description sent / intents, 4 decimals */
        sentRate: string | null;
        /** @description intents whose payment window has closed */
        outcomesKnown: number;
        paid: number;
        /** @description paid / outcomesKnown, 4 decimals */
        paidRate: string | null;
      };
      /** @description challenger paidRate − champion paidRate, 4 decimals */
      paidRateLift: string | null;
    };
    StatusNotice: {
      /** @description the planned contact; its decisions show in the contact timeline */
      contactId: string;
      /** @description false: the same notice (kind, reference, channel) was queued before */
      queued: boolean;
      /** @description as the message will print them */
      variables: {
        what: string;
        eta: string;
      };
      replayed: boolean;
    };
    UnappliedPayment: {
      /** @description the payment key as stored (namespaced by the borrower) */
      paymentKey: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      /** @enum {string} */
      status: 'refund_due' | 'refunded';
      /** @description the provider's reference of the debit */
      providerRef: string | null;
      /** @description the provider's reference of the refund, once made */
      refundRef: string | null;
      /** @description why the loan could not take it, or why the refund failed */
      reason: string | null;
      updatedAt: string;
    };
    ReconcileSummary: {
      examined: number;
      posted: number;
      released: number;
      refunded: number;
      refundQueued: number;
      unknown: number;
    };
    Product: {
      productId: string;
      name: string;
      /** @description LoanTerms fields every loan of the product starts from */
      terms: {
        [key: string]: unknown;
      };
      /** @description servicing rules */
      rules: {
        [key: string]: unknown;
      };
      /** @description the pricing policy as saved ("cn-2026", "none" or its lines); absent: the default for the currency (docs/servicing.md, "Rate caps") */
      rateCaps?: unknown;
      /** @description where the product's APR stands against its policy; absent when its terms do not price a loan yet */
      rateCap?: components['schemas']['RateCap'];
      createdAt: string;
    };
    Refund: {
      refundId: string;
      loanId: string;
      borrowerId: string;
      amount: string;
      currency: string;
      on: string;
      /** @description the credit balance left after the refund */
      creditBalance: string;
    };
    ActiveStrategy: {
      name: string;
      version: number;
      digest: string;
      /** @description the canonical strategy document */
      strategy: {
        [key: string]: unknown;
      };
      /**
       * @description `builtin`: nothing was ever activated, the default applies
       * @enum {string}
       */
      source: 'activated' | 'builtin';
      approvalId: string | null;
      activatedAt: string | null;
      activatedBy: string | null;
      approvedBy: string | null;
    };
    WebhookReceiptAnswer: {
      /** @description the contact the receipt is about; null when no sent message has its id */
      contactId: string | null;
      /** @description false when the receipt repeats the status already recorded */
      changed: boolean;
    };
    WebhookReplyAnswer: {
      /** @description borrowers whose SMS address sent the reply */
      borrowers: number;
      /** @description of them, those the reply opted out */
      optedOut: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
