-- Why a certificate has its status: the competent agency's reason for rejecting it, kept on the certificate so
-- that a declaration lodged after the rejection reads the reason too.
ALTER TABLE certificates ADD COLUMN status_reason TEXT;
