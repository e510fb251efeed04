-- The check of an inbound certificate's own signature by its issuing authority (an NPPO-signed ePhyto), made when it
-- was received: JSON { status: VALID | INVALID | UNKNOWN_SIGNER, signer?, message }; NULL when it carried none.
ALTER TABLE certificates ADD COLUMN issuer_signature TEXT;
